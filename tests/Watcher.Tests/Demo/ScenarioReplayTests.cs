using Lookout.Contracts;
using Lookout.Watcher.Demo;
using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Tests.Demo;

public sealed class ScenarioReplayTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("lookout-scenarios").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Write(string path, string text)
    {
        string file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    private static string App(string name, string sync) => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {"{"}name: {name}, namespace: argocd{"}"}
        status: {"{"}sync: {"{"}status: {sync}{"}"}{"}"}
        """;

    private static string Rollout(string phase, string? afterVerdict = null) =>
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: bluegreen-demo\n  namespace: default\n"
        + (afterVerdict is null ? string.Empty : $"  annotations: {{lookout.demo/after-verdict: {afterVerdict}}}\n")
        + "spec: {strategy: {blueGreen: {autoPromotionEnabled: false}}}\n"
        + $"status:\n  phase: {phase}\n  currentPodHash: abc123\n  pauseConditions: {(phase == "Paused" ? "[{reason: BlueGreenPause}]" : "[]")}\n";

    [Fact]
    public void SubFolders_AreScenariosPlayedSideBySide_AndOtherFilesAreNotSteps()
    {
        Write("a/000-first.yaml", App("one", "OutOfSync"));
        Write("a/010-second.yaml", App("one", "Synced"));
        Write("a/projects.yaml", App("not-a-step", "Synced"));
        Write("b/000-first.yaml", App("two", "OutOfSync"));
        Write("empty/README.md", "no steps here");

        IReadOnlyList<ScenarioEvent> events = ScenarioWatchSource.Load(root);

        Assert.Equal(
            ["a/0 one Added", "b/0 two Added", "a/1 one Modified"],
            events.Select(e => $"{e.Scenario}/{e.Step} {e.Object.GetProperty("metadata").GetProperty("name").GetString()} {e.Type}"));
        Assert.Equal(events.Select(e => e.ResourceVersion).Order(), events.Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task AfterVerdictSteps_WaitForTheVote_AndOnlyTheVotedBranchPlays()
    {
        Write("bg/000-paused.yaml", Rollout("Paused"));
        Write("bg/010-promoted.yaml", Rollout("Progressing", "promote"));
        Write("bg/011-aborted.yaml", Rollout("Degraded", "abort"));
        Write("bg/020-healthy.yaml", Rollout("Healthy", "promote"));
        var source = new ScenarioWatchSource(root, TimeSpan.FromMilliseconds(1), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using IAsyncEnumerator<WatchEvent> watch = source.WatchAsync(new WatchScope(WatchedKind.Rollout, null, null), "0", () => { }, timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("Paused", watch.Current.Object.GetProperty("status").GetProperty("phase").GetString());
        string uid = watch.Current.Object.GetProperty("metadata").GetProperty("uid").GetString()!;
        AnalysisVerdict Vote(Verdict v, string hash) => new()
        {
            Rollout = new ObjectIdentity("demo", "default", "bluegreen-demo", uid),
            RunId = "run",
            RolloutRevision = "2",
            Verdict = v,
            DecidedAt = DateTimeOffset.UnixEpoch,
            PodTemplateHash = hash,
        };

        // A vote on another pod-template hash is stale, as against a cluster: nothing plays on it.
        Assert.StartsWith("stale: the Rollout is at pod-template hash abc123", source.ApplyVerdict(Vote(Verdict.Promote, "other")), StringComparison.Ordinal);
        Assert.Single(source.Played);

        Assert.Equal("promoted", source.ApplyVerdict(Vote(Verdict.Promote, "abc123")));
        var phases = new List<string>();
        while (phases.Count < 2 && await watch.MoveNextAsync())
        {
            phases.Add(watch.Current.Object.GetProperty("status").GetProperty("phase").GetString()!);
        }

        Assert.Equal(["Progressing", "Healthy"], phases);
        Assert.Equal(["Paused", "Progressing", "Healthy"], source.Played.Select(e => e.Object.GetProperty("status").GetProperty("phase").GetString()));
    }

    [Fact]
    public void AfterVerdict_OnAnApplication_IsAClearError()
    {
        Write("x/000-app.yaml", App("one", "Synced").Replace("namespace: argocd}", "namespace: argocd, annotations: {lookout.demo/after-verdict: promote}}", StringComparison.Ordinal));
        var ex = Assert.Throws<FormatException>(() => ScenarioWatchSource.Load(root));
        Assert.Contains("x/000-app.yaml: lookout.demo/after-verdict must be 'promote' or 'abort' on a Rollout", ex.Message, StringComparison.Ordinal);
    }
}
