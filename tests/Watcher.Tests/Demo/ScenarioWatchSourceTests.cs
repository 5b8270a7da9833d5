using Lookout.Watcher.Demo;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Tests.Kubernetes;

namespace Lookout.Watcher.Tests.Demo;

public sealed class ScenarioWatchSourceTests
{
    // scenarios/teams, copied next to the tests (as demo/) by the project file.
    private static string BundledScenario() => Path.Combine(AppContext.BaseDirectory, "demo");

    [Fact]
    public void BundledScenario_LoadsAsAddedModifiedAndDeletedEvents_WithIncreasingVersions()
    {
        IReadOnlyList<ScenarioEvent> events = ScenarioWatchSource.Load(BundledScenario());

        Assert.Equal(9, events.Count);
        Assert.Equal(events.Select(e => e.ResourceVersion).Order(), events.Select(e => e.ResourceVersion));
        Assert.Contains(events, e => e.Type == WatchEventType.Deleted && e.Object.GetProperty("metadata").GetProperty("name").GetString() == "payments-app");
        Assert.Equal(WatchEventType.Added, events.First(e => e.Object.GetProperty("metadata").GetProperty("name").GetString() == "payments-app").Type);
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.Object.GetProperty("metadata").GetProperty("uid").GetString())));
    }

    [Fact]
    public async Task Replay_ThroughTheWatcher_PublishesEveryRealChange_AndSkipsTheReconcileOnlyUpdate()
    {
        var source = new ScenarioWatchSource(BundledScenario(), TimeSpan.FromMilliseconds(10), TimeProvider.System);
        var publisher = new RecordingPublisher();
        using var logger = new ListLogger();
        var options = new WatcherOptions { Cluster = "demo" };
        using var stop = new CancellationTokenSource();
        var watcher = new ResourceWatcher(
            new WatchScope(WatchedKind.Application, null, null), source, publisher, new EventFactory("demo", TimeProvider.System), options, TimeProvider.System, logger);
        Task running = watcher.RunAsync(stop.Token);

        // 3 Applications changing 9 times in all, one of them only in status.reconciledAt, one deleted at the end.
        IReadOnlyList<Lookout.Watcher.Publishing.OutgoingEvent> events = await publisher.WaitForAsync(8);
        await stop.CancelAsync();
        await running;

        Assert.Equal(
            [
                "app argocd/frontend-app OutOfSync/Healthy resync",
                "app argocd/backend-app Synced/Healthy resync",
                "app argocd/frontend-app OutOfSync/Healthy",
                "app argocd/frontend-app Synced/Progressing",
                "app argocd/frontend-app Synced/Healthy",
                "app argocd/backend-app OutOfSync/Healthy",
                "app argocd/payments-app Synced/Degraded",
                "deleted Application argocd/payments-app",
            ],
            events.Select(RecordingPublisher.Describe));
    }

    [Fact]
    public void MissingFolder_IsAClearError()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => ScenarioWatchSource.Load("/nonexistent/scenario"));
        Assert.Contains("/nonexistent/scenario", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidYaml_NamesTheFileAndLine()
    {
        string dir = Directory.CreateTempSubdirectory("lookout-scenario").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "000-bad.yaml"), "kind: Application\nmetadata:\n  name: [unclosed\n");
            var ex = Assert.Throws<FormatException>(() => ScenarioWatchSource.Load(dir));
            Assert.Contains("000-bad.yaml:", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
