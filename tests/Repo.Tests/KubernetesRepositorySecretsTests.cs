using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Lookout.Notifications.Repo;
using Lookout.Notifier.Repo;
using Lookout.Testing.Kubernetes;

namespace Lookout.Repo.Tests;

/// <summary>Repository Secrets read through the unmodified Kubernetes client from a local API server.</summary>
public sealed class KubernetesRepositorySecretsTests
{
    private static JsonObject Secret(string name, string? type, params (string Key, string Value)[] data)
    {
        var labels = new JsonObject();
        if (type is not null)
        {
            labels[KubernetesRepositorySecrets.SecretTypeLabel] = type;
        }

        var values = new JsonObject();
        foreach ((string key, string value) in data)
        {
            values[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "argocd", ["labels"] = labels },
            ["data"] = values,
        };
    }

    [Fact]
    public async Task ListsTheLabelledSecretsOfArgoCdsNamespace_Decoded()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        api.Upsert("secrets", Secret("repo-guestbook", "repository", ("url", "https://github.com/example/guestbook"), ("password", "s3cret")));
        api.Upsert("secrets", Secret("creds-github", "repo-creds", ("url", "https://github.com/"), ("username", "bot")));
        api.Upsert("secrets", Secret("argocd-notifications-secret", null, ("slack-token", "xoxb")));
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseAddress.ToString().TrimEnd('/') });
        var secrets = new KubernetesRepositorySecrets(client, "argocd");

        IReadOnlyList<IReadOnlyDictionary<string, string>> repositories = await secrets.ListAsync(RepositoryCredentials.RepositoryType, CancellationToken.None);
        IReadOnlyList<IReadOnlyDictionary<string, string>> templates = await secrets.ListAsync(RepositoryCredentials.RepoCredsType, CancellationToken.None);

        Assert.Equal("s3cret", Assert.Single(repositories)["password"]);
        Assert.Equal("bot", Assert.Single(templates)["username"]);
    }
}
