using k8s;
using Lookout.Testing.Kubernetes;
using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Tests.Kubernetes;

public sealed class LeaderElectionTests
{
    private const string Apps = "applications";

    private static WatcherOptions Options(string identity) => new()
    {
        Cluster = "test",
        WatchRollouts = false,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        LeaderElection =
        {
            Enabled = true,
            Identity = identity,
            LeaseNamespace = "lookout",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        },
    };

    [Fact]
    public async Task TwoWatchersWithOneLease_PublishOnce_AndTheOtherTakesOverWhenTheLeaderStops()
    {
        await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartAsync();
        server.Upsert(Apps, Objects.Application("a"));
        using IKubernetes clientA = WatcherHarness.NewClient(server);
        using IKubernetes clientB = WatcherHarness.NewClient(server);
        var publisherA = new RecordingPublisher();
        var publisherB = new RecordingPublisher();
        using var logger = new ListLogger();
        WatcherOptions optionsA = Options("replica-a");
        WatcherOptions optionsB = Options("replica-b");
        using var a = new KubernetesWatchingService(new KubernetesWatchSource(clientA, optionsA), publisherA, optionsA, TimeProvider.System, logger, clientA);
        using var b = new KubernetesWatchingService(new KubernetesWatchSource(clientB, optionsB), publisherB, optionsB, TimeProvider.System, logger, clientB);

        await a.StartAsync(CancellationToken.None);
        await a.StartedLeading.WaitAsync(TimeSpan.FromSeconds(20));
        int leaseReads = server.RequestCount("get", "leases");
        await b.StartAsync(CancellationToken.None);
        await publisherA.WaitForAsync(1);

        // While A holds the Lease, changes reach A's publisher only. B keeps trying the Lease meanwhile; waiting
        // for B's renew attempts (several RetryPeriods) shows it did not take over.
        server.Upsert(Apps, Objects.Application("a", "OutOfSync"));
        await publisherA.WaitForAsync(2);
        await server.WaitForRequestsAsync("get", "leases", leaseReads + 8, TimeSpan.FromSeconds(20));
        Assert.True(a.IsLeading);
        Assert.False(b.IsLeading);
        Assert.Empty(publisherB.Events);

        // A stops: B acquires the expired Lease, lists (restating the current state) and watches.
        await a.StopAsync(CancellationToken.None);
        await b.StartedLeading.WaitAsync(TimeSpan.FromSeconds(20));
        await publisherB.WaitForAsync(1);
        server.Upsert(Apps, Objects.Application("a", "Synced", "Degraded"));
        IReadOnlyList<Lookout.Watcher.Publishing.OutgoingEvent> taken = await publisherB.WaitForAsync(2);
        Assert.Equal(["app argocd/a OutOfSync/Healthy resync", "app argocd/a Synced/Degraded"], taken.Select(RecordingPublisher.Describe));
        Assert.Equal(2, publisherA.Events.Count);
        await b.StopAsync(CancellationToken.None);
    }
}
