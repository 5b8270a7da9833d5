using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Resync;
using Lookout.Watcher.Tests.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lookout.Watcher.Tests.Resync;

/// <summary>The leader's answer to <see cref="ResyncRequested"/>, against the fake API server (no bus).</summary>
public sealed class ResyncSchedulerTests : IAsyncLifetime, IDisposable
{
    private const string Apps = "applications";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-11-30T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RecordingPublisher publisher = new();
    private readonly ResyncMetrics metrics = ResyncMetrics.Unregistered();
    private FakeKubernetesApiServer api = null!;
    private k8s.IKubernetes client = null!;
    private KubernetesWatchingService watching = null!;
    private ResyncScheduler scheduler = null!;

    public async Task InitializeAsync()
    {
        api = await FakeKubernetesApiServer.StartAsync();
        client = WatcherHarness.NewClient(api);
        var options = new WatcherOptions { Cluster = "test", WatchRollouts = false, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        watching = new KubernetesWatchingService(new KubernetesWatchSource(client, options), publisher, options, TimeProvider.System, NullLoggerFactory.Instance, leaseClient: null);
        scheduler = new ResyncScheduler(watching, new ResyncOptions { MinInterval = Interval }, clock, metrics, NullLogger<ResyncScheduler>.Instance);
    }

    public async Task DisposeAsync()
    {
        await scheduler.StopAsync(CancellationToken.None);
        await watching.StopAsync(CancellationToken.None);
        client.Dispose();
        await api.DisposeAsync();
    }

    public void Dispose()
    {
        scheduler.Dispose();
        watching.Dispose();
    }

    [Fact]
    public async Task Request_OnTheLeader_RestatesEveryObjectAsResync_ThenWatchingGoesOn()
    {
        api.Upsert(Apps, Objects.Application("a"));
        api.Upsert(Apps, Objects.Application("b", "OutOfSync"));
        await StartAsync(initialEvents: 2);

        scheduler.Request(Request(ResyncRequested.Started));
        IReadOnlyList<string> restated = Describe(await publisher.WaitForAsync(4)).Skip(2).ToList();

        Assert.Equal(["app argocd/a Synced/Healthy resync", "app argocd/b OutOfSync/Healthy resync"], restated.Order(StringComparer.Ordinal));
        Assert.Equal(1, metrics.Resyncs.WithLabels(ResyncRequested.Started).Value);

        // The watch resumed from the re-list: a later change is an ordinary event, once.
        api.Upsert(Apps, Objects.Application("a", "OutOfSync", "Degraded"));
        Assert.Equal("app argocd/a OutOfSync/Degraded", Describe(await publisher.WaitForAsync(5))[4]);
    }

    [Fact]
    public async Task BurstOfRequests_InsideTheInterval_IsDeferredAndAnsweredByOneResync()
    {
        api.Upsert(Apps, Objects.Application("a"));
        await StartAsync(initialEvents: 1);
        scheduler.Request(Request(ResyncRequested.Started));
        await publisher.WaitForAsync(2);

        for (int i = 0; i < 5; i++)
        {
            scheduler.Request(Request(ResyncRequested.Reconnected, $"notifier-{i}"));
        }

        Assert.Equal(5, metrics.Requests.WithLabels(ResyncRequested.Reconnected, "true").Value);

        // The scheduler's loop arms its deferral timer on its own thread; time moves on until the deferred resync
        // answers (advancing before the timer is armed would leave it waiting a whole interval more).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (publisher.Events.Count < 3 && DateTime.UtcNow < deadline)
        {
            clock.Advance(Interval);
            await Task.Delay(50);
        }

        await publisher.WaitForAsync(3);

        Assert.Equal(["app argocd/a Synced/Healthy resync", "app argocd/a Synced/Healthy resync", "app argocd/a Synced/Healthy resync"], Describe(publisher.Events));
        Assert.Equal(1, metrics.Resyncs.WithLabels(ResyncRequested.Reconnected).Value);
        Assert.Equal(0, scheduler.Pending);
    }

    [Fact]
    public async Task ReplicaThatDoesNotLead_CountsTheRequest_AndPublishesNothing()
    {
        api.Upsert(Apps, Objects.Application("a"));
        await scheduler.StartAsync(CancellationToken.None);

        scheduler.Request(Request(ResyncRequested.Started));

        Assert.False(watching.IsLeading);
        Assert.Equal(1, metrics.Requests.WithLabels(ResyncRequested.Started, "false").Value);
        Assert.Equal(0, scheduler.Pending);
        Assert.Empty(publisher.Events);
    }

    private static ResyncRequested Request(string reason, string instance = "notifier-0") => new()
    {
        Service = "Lookout.Notifier",
        Instance = instance,
        Reason = reason,
        RequestedAt = DateTimeOffset.UnixEpoch,
    };

    private static List<string> Describe(IEnumerable<Lookout.Watcher.Publishing.OutgoingEvent> events) => [.. events.Select(RecordingPublisher.Describe)];

    private async Task StartAsync(int initialEvents)
    {
        await watching.StartAsync(CancellationToken.None);
        await scheduler.StartAsync(CancellationToken.None);
        await watching.StartedLeading.WaitAsync(TimeSpan.FromSeconds(20));
        await publisher.WaitForAsync(initialEvents);
        await api.WaitForWatchesAsync(1, TimeSpan.FromSeconds(20));
    }
}
