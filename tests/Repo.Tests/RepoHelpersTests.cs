using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Repo;
using Lookout.Notifications.Repo.Grpc;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.State;
using Lookout.Values;
using Lookout.Values.Yaml;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lookout.Repo.Tests;

/// <summary>Templates that call <c>repo.GetCommitMetadata</c> and <c>repo.GetAppDetails</c>, rendered by the notifier's controller.</summary>
public sealed class RepoHelpersTests
{
    private const string Sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    private static readonly NotificationConfig Config = NotificationConfigParser.Parse(
        new ConfigMapData("argocd-notifications-cm", "argocd", new Dictionary<string, string>
        {
            ["service.slack"] = "token: xoxb-test",
            ["template.commit"] = """
                message: |-
                  {{(call .repo.GetCommitMetadata .app.status.sync.revision).Message}}
                  by {{(call .repo.GetCommitMetadata .app.status.sync.revision).Author}} at {{(call .repo.GetCommitMetadata .app.status.sync.revision).Date.UTC.Format "2006-01-02 15:04:05.000"}} {{(call .repo.GetCommitMetadata .app.status.sync.revision).Tags}}
                """,
            ["template.helm"] = """
                message: '{{(call .repo.GetAppDetails).Type}} {{(call .repo.GetAppDetails).Helm.GetParameterValueMap}} tag={{(call .repo.GetAppDetails).Helm.GetParameterValueByName "image.tag"}} file={{(call .repo.GetAppDetails).Helm.GetFileParameterPathByName "config"}} {{(call .repo.GetAppDetails).Helm.HelmAppSpec.ValueFiles}}'
                """,
            ["template.plain"] = "message: 'plain {{.app.metadata.name}}'",
            ["trigger.on-commit"] = "- when: app.status.sync.status == 'Synced'\n  send: [commit]",
            ["trigger.on-helm"] = "- when: app.status.sync.status == 'Synced'\n  send: [helm]",
            ["trigger.on-plain"] = "- when: app.status.sync.status == 'Synced'\n  send: [plain]",
        }, new Dictionary<string, string>()),
        ServiceTypes.BuiltIn(),
        new ServiceContext { HttpClients = _ => new HttpClient(), Logs = NullLoggerFactory.Instance, SlackThreads = new FileSlackThreadStore(null) },
        null);

    private readonly NotificationController controller = new(TimeProvider.System);

    internal static ObjectMap App(string name = "guestbook", string revision = Sha, params string[] triggers) =>
        (ObjectMap)ObjectModel.FromJson(YamlDocuments.Parse($$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: {{name}}
              namespace: argocd
              annotations:
            {{string.Join("\n", (triggers.Length == 0 ? ["on-commit", "on-helm", "on-plain"] : triggers).Select(t => $"    notifications.argoproj.io/subscribe.{t}.slack: ops"))}}
            spec:
              project: default
              source:
                repoURL: https://github.com/example/guestbook.git
                targetRevision: main
                path: chart
                helm:
                  parameters:
                  - name: image.tag
                    value: v2
            status:
              sync:
                status: Synced
                revision: "{{revision}}"
            """, "test").Single().ToJsonString())!;

    private static void Serve(FakeRepoServer server)
    {
        server.Commits[Sha] = GrpcRepoServerTests.Commit();
        server.AppDetails = new RepoAppDetailsResponse
        {
            Type = "Helm",
            Helm = new HelmAppSpec
            {
                Name = "guestbook",
                ValueFiles = { "values.yaml" },
                Parameters = { new Notifications.Repo.Grpc.HelmParameter { Name = "image.tag", Value = "v1" }, new Notifications.Repo.Grpc.HelmParameter { Name = "replicas", Value = "2" } },
                FileParameters = { new Notifications.Repo.Grpc.HelmFileParameter { Name = "config", Path = "files/config.json" } },
            },
        };
    }

    private static RepoHelpers Helpers(FakeRepoServer server, TimeSpan? timeout = null, Action<string, string>? observe = null)
    {
        var settings = new RepoServerSettings { Plaintext = true, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return new RepoHelpers(new GrpcRepoServer(server.Address, settings, new RepositoryCredentials(new NoRepositorySecrets())), settings, TimeProvider.System, observe);
    }

    private Task<ProcessResult> Process(RepoHelpers helpers, ObjectMap app) =>
        helpers.EvaluateAsync(repo => controller.Process("Application", app, null, Config, NotifiedState.Empty(), repo), CancellationToken.None);

    private static Dictionary<string, string> Messages(ProcessResult result) =>
        result.Notifications.ToDictionary(n => n.Trigger, n => n.Notification.Message, StringComparer.Ordinal);

    [Fact]
    public async Task BothHelperCalls_RenderFromTheRepoServer()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        Serve(server);

        ProcessResult result = await Process(Helpers(server), App());

        Assert.Empty(result.Errors);
        Dictionary<string, string> messages = Messages(result);
        Assert.Equal("Bump image to v2\nby Jane Doe <jane@example.com> at 2025-11-29 07:06:40.500 [v2.0.0 stable]", messages["on-commit"]);
        Assert.Equal("Helm map[image.tag:v2 replicas:2] tag=v2 file=files/config.json [values.yaml]", messages["on-helm"]);
        Assert.Equal("plain guestbook", messages["on-plain"]);
        Assert.Equal(1, server.RevisionMetadataCalls);
        Assert.Equal(1, server.AppDetailsCalls);
    }

    [Fact]
    public async Task BurstOfNotificationsForOneSync_AsksTheRepoServerOnce()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        Serve(server);
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        RepoHelpers helpers = Helpers(server, observe: (method, outcome) => outcomes.Enqueue($"{method} {outcome}"));

        ProcessResult[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Process(helpers, App($"app-{i}", Sha, "on-commit"))));
        ProcessResult later = await Process(helpers, App("app-late", Sha, "on-commit"));

        Assert.All(results.Append(later), r => Assert.StartsWith("Bump image to v2\n", Assert.Single(r.Notifications).Notification.Message, StringComparison.Ordinal));
        Assert.Equal(1, server.RevisionMetadataCalls);
        Assert.Equal(1, helpers.Cache.Misses);
        Assert.Equal(8, helpers.Cache.Hits);
        Assert.Equal(["GetRevisionMetadata answered", .. Enumerable.Repeat("GetRevisionMetadata cached", 8)], outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SlowRepoServer_FailsOnlyTheTemplatesThatCallTheHelpers()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.Hang = true;

        ProcessResult result = await Process(Helpers(server, TimeSpan.FromMilliseconds(300)), App());

        Assert.Equal(["on-plain"], Messages(result).Keys);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.StartsWith("failed to notify {slack ops} about trigger on-commit: template 'commit': ", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("failed to notify {slack ops} about trigger on-helm: template 'helm': ", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains($"repo.GetCommitMetadata(\"{Sha}\"): Argo CD repo server {server.Address} did not answer within 0.3s", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains($"repo.GetAppDetails: Argo CD repo server {server.Address} did not answer within 0.3s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownRevision_FailsThatTemplateWithTheRepoServersMessage()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        Serve(server);

        ProcessResult result = await Process(Helpers(server), App(revision: "0000000000000000000000000000000000000000", triggers: ["on-commit", "on-helm"]));

        Assert.Equal(["on-helm"], Messages(result).Keys);
        string error = Assert.Single(result.Errors);
        Assert.Contains("unable to resolve git revision 0000000000000000000000000000000000000000: object not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRepoServer_TheHelpersSaySo()
    {
        ProcessResult result = await Process(RepoHelpers.None, App(triggers: ["on-commit", "on-plain"]));

        Assert.Equal(["on-plain"], Messages(result).Keys);
        Assert.Contains("no Argo CD repo server is configured", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CannedAnswers_ServeTheSameHelpers()
    {
        CannedRepoAnswers answers = CannedRepoAnswers.Parse(File.ReadAllText(Data("repo-answers.yaml")), "repo-answers.yaml");
        var helpers = new RepoHelpers(answers, new RepoServerSettings(), TimeProvider.System);

        ProcessResult result = await Process(helpers, App());
        ProcessResult unknown = controller.Process("Application", App(revision: "feedface", triggers: ["on-commit"]), null, Config, NotifiedState.Empty(), helpers.Immediate());

        Assert.Empty(result.Errors);
        Dictionary<string, string> messages = Messages(result);
        Assert.Equal("Bump image to v2\nby Jane Doe <jane@example.com> at 2025-11-29 07:06:40.500 [v2.0.0 stable]", messages["on-commit"]);
        Assert.Equal("Helm map[image.tag:v2 replicas:2] tag=v2 file=files/config.json [values.yaml]", messages["on-helm"]);
        Assert.Contains("repo.GetCommitMetadata(\"feedface\"): no answer in repo-answers.yaml for revision feedface of https://github.com/example/guestbook.git", Assert.Single(unknown.Errors), StringComparison.Ordinal);
    }

    internal static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);
}
