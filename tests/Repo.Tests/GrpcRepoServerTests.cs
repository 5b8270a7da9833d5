using Lookout.Notifications.Repo;
using Lookout.Notifications.Repo.Grpc;
using Lookout.Values;

namespace Lookout.Repo.Tests;

/// <summary>The gRPC client against our own repo server: plaintext and TLS, timeouts, unknown revisions, credentials.</summary>
public sealed class GrpcRepoServerTests : IClassFixture<CertificatesFixture>
{
    private const string Sha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    private const string RepoUrl = "https://github.com/example/guestbook.git";
    private readonly TestCertificates certificates;

    public GrpcRepoServerTests(CertificatesFixture fixture) => certificates = fixture.Certificates;

    internal static RevisionMetadata Commit(string message = "Bump image to v2") => new()
    {
        Message = message,
        Author = "Jane Doe <jane@example.com>",
        Date = new KubeTime { Seconds = 1_764_400_000, Nanos = 500_000_000 },
        Tags = { "v2.0.0", "stable" },
    };

    private static GrpcRepoServer Client(string address, RepoServerSettings settings, IRepositorySecrets? secrets = null) =>
        new(address, settings, new RepositoryCredentials(secrets ?? new NoRepositorySecrets()));

    [Fact]
    public async Task Plaintext_AnswersCommitMetadata()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.Commits[Sha] = Commit();
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true });

        CommitMetadata metadata = await client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", Sha), CancellationToken.None);

        Assert.Equal("Bump image to v2", metadata.Message);
        Assert.Equal("Jane Doe <jane@example.com>", metadata.Author);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_764_400_000).AddMilliseconds(500), metadata.Date);
        Assert.Equal(["v2.0.0", "stable"], metadata.Tags);
        var request = Assert.IsType<RepoServerRevisionMetadataRequest>(Assert.Single(server.Requests));
        Assert.Equal(Sha, request.Revision);
        Assert.Equal(RepoUrl, request.Repo.Repo);
    }

    public static TheoryData<bool, bool, bool> TlsCases => new()
    {
        // strict, trust our CA, succeeds
        { true, true, true },
        { true, false, false },
        { false, false, true },
    };

    [Theory]
    [MemberData(nameof(TlsCases))]
    public async Task Tls_VerifiesTheServerOnlyWhenStrict(bool strict, bool trustOurCa, bool succeeds)
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync(certificates.Server);
        server.Commits[Sha] = Commit();
        using var otherCa = new TestCertificates();
        var settings = new RepoServerSettings { StrictTls = strict, CaCertPath = strict ? (trustOurCa ? certificates.CaFile : otherCa.CaFile) : null, Timeout = TimeSpan.FromSeconds(10) };
        using GrpcRepoServer client = Client(server.Address, settings);

        Task<CommitMetadata> call = client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", Sha), CancellationToken.None);

        if (succeeds)
        {
            Assert.Equal("Bump image to v2", (await call).Message);
        }
        else
        {
            RepoServerException ex = await Assert.ThrowsAsync<RepoServerException>(() => call);
            Assert.StartsWith($"Argo CD repo server {server.Address} is unavailable (revision {Sha} of {RepoUrl})", ex.Message, StringComparison.Ordinal);
            Assert.Contains("remote certificate was rejected", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, server.RevisionMetadataCalls);
        }
    }

    [Fact]
    public async Task PlaintextClient_AgainstTlsServer_FailsClearly()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync(certificates.Server);
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true, Timeout = TimeSpan.FromSeconds(10) });

        RepoServerException ex = await Assert.ThrowsAsync<RepoServerException>(() => client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", Sha), CancellationToken.None));

        Assert.StartsWith($"Argo CD repo server {server.Address}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowServer_FailsAfterTheTimeout()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.Hang = true;
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true, Timeout = TimeSpan.FromMilliseconds(300) });

        RepoServerException ex = await Assert.ThrowsAsync<RepoServerException>(() => client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", Sha), CancellationToken.None));

        Assert.Equal($"Argo CD repo server {server.Address} did not answer within 0.3s (revision {Sha} of {RepoUrl})", ex.Message);
    }

    [Fact]
    public async Task UnknownRevision_FailsWithTheServersMessage()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true });

        RepoServerException ex = await Assert.ThrowsAsync<RepoServerException>(() => client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", "deadbeef"), CancellationToken.None));

        Assert.Equal($"Argo CD repo server {server.Address}: revision deadbeef of {RepoUrl}: unable to resolve git revision deadbeef: object not found (Unknown)", ex.Message);
    }

    [Fact]
    public async Task ServerDown_FailsAsUnavailable()
    {
        string address = $"127.0.0.1:{Lookout.Testing.FreePorts.Next()}";
        using GrpcRepoServer client = Client(address, new RepoServerSettings { Plaintext = true, Timeout = TimeSpan.FromSeconds(10) });

        RepoServerException ex = await Assert.ThrowsAsync<RepoServerException>(() => client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "default", Sha), CancellationToken.None));

        Assert.StartsWith($"Argo CD repo server {address} is unavailable (revision {Sha} of {RepoUrl})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_ComeFromTheRepositorySecretOfTheProject_ElseTheLongestCredentialTemplate()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.Commits[Sha] = Commit();
        var secrets = new ListedSecrets
        {
            [RepositoryCredentials.RepositoryType] =
            [
                new() { ["url"] = "https://github.com/example/guestbook", ["username"] = "shared", ["password"] = "p1" },
                new() { ["url"] = "https://GitHub.com/example/guestbook.git", ["project"] = "team-a", ["username"] = "team-a", ["password"] = "p2" },
                new() { ["url"] = "https://github.com/example/other", ["username"] = "other", ["password"] = "p3" },
            ],
            [RepositoryCredentials.RepoCredsType] =
            [
                new() { ["url"] = "https://github.com/", ["username"] = "org-wide", ["password"] = "p4" },
                new() { ["url"] = "https://github.com/example2", ["username"] = "example2", ["password"] = "p5" },
            ],
        };
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true }, secrets);

        await client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "team-a", Sha), CancellationToken.None);
        await client.GetCommitMetadataAsync(new CommitQuery(RepoUrl, "team-b", Sha), CancellationToken.None);
        await client.GetCommitMetadataAsync(new CommitQuery("https://github.com/example2/app", "team-b", Sha), CancellationToken.None);

        var repos = server.Requests.OfType<RepoServerRevisionMetadataRequest>().Select(r => (r.Repo.Username, r.Repo.Password, r.Repo.InheritedCreds)).ToList();
        Assert.Equal([("team-a", "p2", false), ("shared", "p1", false), ("example2", "p5", true)], repos);
    }

    [Fact]
    public async Task AppDetails_SendTheSourceAndReadHelmKustomizeDirectory()
    {
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.AppDetails = new RepoAppDetailsResponse
        {
            Type = "Helm",
            Helm = new HelmAppSpec
            {
                Name = "guestbook",
                ValueFiles = { "values.yaml", "values-prod.yaml" },
                Parameters = { new Notifications.Repo.Grpc.HelmParameter { Name = "image.tag", Value = "v1" }, new Notifications.Repo.Grpc.HelmParameter { Name = "replicas", Value = "2" } },
                Values = "image:\n  tag: v1\n",
                FileParameters = { new Notifications.Repo.Grpc.HelmFileParameter { Name = "config", Path = "files/config.json" } },
            },
        };
        using GrpcRepoServer client = Client(server.Address, new RepoServerSettings { Plaintext = true });
        var source = (ObjectMap)ObjectModel.FromJson("""
            {"repoURL": "https://github.com/example/charts.git", "path": "guestbook", "targetRevision": "main",
             "helm": {"releaseName": "gb", "parameters": [{"name": "image.tag", "value": "v2", "forceString": true}], "valuesObject": {"replicas": 3}},
             "unknownField": {"x": 1}}
            """)!;

        AppDetail detail = await client.GetAppDetailsAsync(new AppDetailsQuery("guestbook", "argocd", "default", source, "abc"), CancellationToken.None);

        Assert.Equal("Helm", detail.Type);
        Assert.Equal("guestbook", detail.Helm!.Name);
        Assert.Equal([new Notifications.Repo.HelmParameter("image.tag", "v1"), new Notifications.Repo.HelmParameter("replicas", "2")], detail.Helm.Parameters);
        Assert.Equal("files/config.json", Assert.Single(detail.Helm.FileParameters).Path);
        Assert.Null(detail.Kustomize);
        Assert.False(detail.Directory);
        var query = Assert.IsType<RepoServerAppDetailsQuery>(Assert.Single(server.Requests));
        Assert.Equal("guestbook", query.AppName);
        Assert.Equal("https://github.com/example/charts.git", query.Source.RepoUrl);
        Assert.Equal("main", query.Source.TargetRevision);
        Assert.Equal("gb", query.Source.Helm.ReleaseName);
        Assert.True(Assert.Single(query.Source.Helm.Parameters).ForceString);
        Assert.Equal("{\"replicas\":3}", query.Source.Helm.ValuesObject.Raw.ToStringUtf8());
    }
}

/// <summary>One CA and server certificate for the class's tests.</summary>
public sealed class CertificatesFixture : IDisposable
{
    public TestCertificates Certificates { get; } = new();

    public void Dispose() => Certificates.Dispose();
}

/// <summary>Repository Secrets given as lists by type.</summary>
internal sealed class ListedSecrets : Dictionary<string, List<Dictionary<string, string>>>, IRepositorySecrets
{
    public ListedSecrets()
        : base(StringComparer.Ordinal)
    {
    }

    public int Lists { get; private set; }

    public Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ListAsync(string secretType, CancellationToken cancellationToken)
    {
        Lists++;
        return Task.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>(TryGetValue(secretType, out var list) ? [.. list] : []);
    }
}
