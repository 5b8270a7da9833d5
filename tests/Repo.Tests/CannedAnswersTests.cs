using System.Text.Json.Nodes;
using Lookout.Notifications.Repo;
using Lookout.Notifier;
using Lookout.Notifier.Repo;
using Lookout.Notifier.Tools;
using Microsoft.Extensions.Configuration;

namespace Lookout.Repo.Tests;

/// <summary>The canned answers of <c>--repo-answers</c>: the file, <c>notifier replay</c>, and the notifier's choice of source.</summary>
public sealed class CannedAnswersTests
{
    [Fact]
    public async Task Replay_WithCannedAnswers_RendersTheHelperCalls()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = await ReplayCommand.RunAsync(
            ["--config", RepoHelpersTests.Data("repo-cm.yaml"), "--repo-answers", RepoHelpersTests.Data("repo-answers.yaml"), RepoHelpersTests.Data("repo-events.yaml")],
            new StringReader(string.Empty), stdout, stderr, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr.ToString());
        JsonNode line = JsonNode.Parse(stdout.ToString().Trim())!;
        Assert.Equal("guestbook deployed Bump image to v2 by Jane Doe <jane@example.com>\nimage.tag=v1", (string?)line["notification"]!["message"]);
    }

    [Fact]
    public async Task Replay_WithoutAnswers_ReportsTheTemplateAndGoesOn()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = await ReplayCommand.RunAsync(
            ["--config", RepoHelpersTests.Data("repo-cm.yaml"), RepoHelpersTests.Data("repo-events.yaml")],
            new StringReader(string.Empty), stdout, stderr, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Contains("template 'deployed-commit'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("no Argo CD repo server is configured", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateNotify_WithCannedAnswers_RendersTheHelperCalls()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string app = Path.Combine(Path.GetTempPath(), $"lookout-repo-app-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(app, string.Join('\n', (await File.ReadAllLinesAsync(RepoHelpersTests.Data("repo-events.yaml"))).Skip(2).Select(l => l[2..])));
        try
        {
            int code = await TriggerRunCommand.NotifyAsync(
                ["deployed-commit", app, "--config", RepoHelpersTests.Data("repo-cm.yaml"), "--repo-answers", RepoHelpersTests.Data("repo-answers.yaml")],
                stdout, stderr, CancellationToken.None);

            Assert.Equal(string.Empty, stderr.ToString());
            Assert.Equal(0, code);
            Assert.Equal("guestbook deployed Bump image to v2 by Jane Doe <jane@example.com>\nimage.tag=v1", (string?)JsonNode.Parse(stdout.ToString())!["message"]);
        }
        finally
        {
            File.Delete(app);
        }
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "commits: {}", "answers.yaml: 'commits' must be a list" },
        { "commits:\n- message: no revision", "answers.yaml: commits[0]: 'revision' is required" },
        { "commits:\n- revision: abc\n  date: yesterday", "answers.yaml: commits[0]: 'date' is not an RFC 3339 time: yesterday" },
        { "appDetails:\n- 42", "answers.yaml: appDetails[0] must be a mapping" },
        { "- a list", "answers.yaml: expected one mapping with 'commits' and 'appDetails'" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadAnswersFile_NamesTheEntry(string text, string message)
    {
        FormatException ex = Assert.Throws<FormatException>(() => CannedRepoAnswers.Parse(text, "answers.yaml"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Composition_PicksCannedAnswers_ThenTheRepoServer_ThenNone()
    {
        var secrets = new NoRepositorySecrets();
        RepoHelpers canned = RepoComposition.Create(new NotifierOptions { RepoServer = { AnswersPath = RepoHelpersTests.Data("repo-answers.yaml"), Address = "127.0.0.1:1" } }, secrets, TimeProvider.System);
        RepoHelpers embeddedWithoutAnswers = RepoComposition.Create(new NotifierOptions { ConfigPath = RepoHelpersTests.Data("repo-cm.yaml") }, secrets, TimeProvider.System);
        await using FakeRepoServer server = await FakeRepoServer.StartAsync();
        server.Commits["abc"] = GrpcRepoServerTests.Commit("from the server");
        RepoHelpers grpc = RepoComposition.Create(new NotifierOptions { ConfigPath = RepoHelpersTests.Data("repo-cm.yaml"), RepoServer = { Address = server.Address, Plaintext = true } }, secrets, TimeProvider.System);

        var app = RepoHelpersTests.App(revision: "abc");
        object? fromServer = await grpc.EvaluateAsync(r => r!.GetCommitMetadata(app, "abc"), CancellationToken.None);
        object? fromFile = canned.Immediate()!.GetCommitMetadata(app, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");

        Assert.Equal("from the server", ((Lookout.Values.ObjectMap)fromServer!)["Message"]);
        Assert.Equal("Bump image to v2", ((Lookout.Values.ObjectMap)fromFile!)["Message"]);
        Assert.False(embeddedWithoutAnswers.IsConfigured);
    }

    [Fact]
    public void Flags_MapToTheSettingsAsArgoCdNamesThem()
    {
        string[] args = NotifierOptions.WithBooleanValues(["--argocd-repo-server", "repo:8081", "--argocd-repo-server-plaintext", "--repo-answers=answers.yaml"]);
        var configuration = new ConfigurationBuilder().AddCommandLine(args, NotifierOptions.Switches.ToDictionary()).Build();
        var options = new NotifierOptions();
        ConfigurationBinder.Bind(configuration.GetSection(NotifierOptions.SectionName), options);

        Assert.Equal("repo:8081", options.RepoServer.Address);
        Assert.True(options.RepoServer.Plaintext);
        Assert.False(options.RepoServer.StrictTls);
        Assert.Equal("answers.yaml", options.RepoServer.AnswersPath);
    }
}
