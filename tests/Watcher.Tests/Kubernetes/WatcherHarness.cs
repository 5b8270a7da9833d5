using k8s;
using Lookout.Testing.Kubernetes;
using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Tests.Kubernetes;

/// <summary>A fake API server, a KubernetesClient on it, and one running <see cref="ResourceWatcher"/>.</summary>
internal sealed class WatcherHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;
    private Task eventsRunning = Task.CompletedTask;

    private WatcherHarness(FakeKubernetesApiServer server, IKubernetes client)
    {
        Server = server;
        Client = client;
    }

    public FakeKubernetesApiServer Server { get; }

    public IKubernetes Client { get; }

    public RecordingPublisher Publisher { get; } = new();

    public ListLogger Logger { get; } = new();

    public WatcherOptions Options { get; } = new()
    {
        Cluster = "test",
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    public ResourceWatcher? Watcher { get; private set; }

    public Lookout.Watcher.Kubernetes.WatcherMetrics Metrics { get; } = Lookout.Watcher.Kubernetes.WatcherMetrics.Unregistered();

    /// <summary>What earlier leaders published, seeding the watcher; null for none.</summary>
    public Lookout.Watcher.State.PublishedState? State { get; set; }

    public static async Task<WatcherHarness> StartServerAsync()
    {
        FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartAsync();
        return new WatcherHarness(server, NewClient(server));
    }

    public static IKubernetes NewClient(FakeKubernetesApiServer server) =>
        KubernetesWatchSource.CreateClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString().TrimEnd('/') });

    /// <summary>Starts watching one scope and waits until its watch is open.</summary>
    public async Task StartWatchingAsync(WatchedKind kind, string? ns = null, string? labelSelector = null, ObjectBodies? bodies = null)
    {
        int before = Server.OpenWatchCount;
        Watcher = new ResourceWatcher(
            new WatchScope(kind, ns, labelSelector),
            new KubernetesWatchSource(Client, Options),
            Publisher,
            new EventFactory(Options.Cluster!, TimeProvider.System),
            Options,
            TimeProvider.System,
            Logger,
            Metrics,
            State,
            bodies);
        running = Watcher.RunAsync(stop.Token);
        await Server.WaitForWatchesAsync(before + 1, TimeSpan.FromSeconds(20));
    }

    /// <summary>Starts watching the Events about Rollouts and AnalysisRuns (all namespaces) and waits until both watches are open.</summary>
    public async Task StartWatchingEventsAsync(ObjectBodies bodies)
    {
        int before = Server.OpenWatchCount;
        var source = new KubernetesWatchSource(Client, Options);
        IReadOnlyList<RolloutEventWatcher> watchers = [.. RolloutEventWatcher.Scopes(Options).Select(scope => new RolloutEventWatcher(
            scope, source, source, Publisher, bodies, Options.Cluster!, Options, TimeProvider.System, Logger, Metrics, Watcher?.Listed))];
        eventsRunning = Task.WhenAll(watchers.Select(w => w.RunAsync(stop.Token)));
        await Server.WaitForWatchesAsync(before + watchers.Count, TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        await eventsRunning.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
