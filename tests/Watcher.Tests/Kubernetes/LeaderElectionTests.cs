using System.Text.Json.Nodes;
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

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 20 ms.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }
        }
    }

    /// <summary>Another party writes itself into the Lease, as a replica that won a race would.</summary>
    private static void StealLease(FakeKubernetesApiServer server)
    {
        JsonObject lease = server.Get("leases", "lookout", "lookout-watcher") ?? throw new InvalidOperationException("no Lease yet");
        lease["spec"]!["holderIdentity"] = "thief";
        lease["spec"]!["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        server.Upsert("leases", lease);
    }

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

        // A stops gracefully and releases the Lease: B acquires it at its next try, without waiting for the Lease
        // to expire, lists (restating the current state) and watches.
        await a.StopAsync(CancellationToken.None);
        Assert.Equal(string.Empty, (string?)server.Get("leases", "lookout", "lookout-watcher")!["spec"]!["holderIdentity"] ?? "(none)");
        await b.StartedLeading.WaitAsync(TimeSpan.FromSeconds(20));
        await publisherB.WaitForAsync(1);
        server.Upsert(Apps, Objects.Application("a", "Synced", "Degraded"));
        IReadOnlyList<Lookout.Watcher.Publishing.OutgoingEvent> taken = await publisherB.WaitForAsync(2);
        Assert.Equal(["app argocd/a OutOfSync/Healthy resync", "app argocd/a Synced/Degraded"], taken.Select(RecordingPublisher.Describe));
        Assert.Equal(2, publisherA.Events.Count);
        await b.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task LosingAndRegainingTheLeaseTwice_EndsEachTermBeforeTheNext_AndRestatesOnEachRegain()
    {
        await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartAsync();
        server.Upsert(Apps, Objects.Application("a"));
        using IKubernetes client = WatcherHarness.NewClient(server);
        var publisher = new RecordingPublisher();
        using var logger = new ListLogger();
        WatcherOptions options = Options("replica-a");
        using var service = new KubernetesWatchingService(new KubernetesWatchSource(client, options), publisher, options, TimeProvider.System, logger, client);
        await service.StartAsync(CancellationToken.None);
        await service.StartedLeading.WaitAsync(TimeSpan.FromSeconds(20));
        await publisher.WaitForAsync(1);

        string[] states = ["OutOfSync", "Synced"];
        for (int loss = 0; loss < 2; loss++)
        {
            StealLease(server);
            await UntilAsync(() => !service.IsLeading, $"loss {loss + 1} is noticed");

            // The ended term's watch is closed before anything else happens: its loop was awaited.
            await server.WaitForWatchesAsync(0, TimeSpan.FromSeconds(20));
            Assert.Empty(service.Watchers);

            // A change while this replica stands by is restated by the next term's list.
            server.Upsert(Apps, Objects.Application("a", states[loss]));
            await UntilAsync(() => service.IsLeading && service.Terms == loss + 2, $"term {loss + 2} starts");
            await publisher.WaitForAsync(loss + 2);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(3, service.Terms);
        Assert.Equal(
            ["app argocd/a Synced/Healthy resync", "app argocd/a OutOfSync/Healthy resync", "app argocd/a Synced/Healthy resync"],
            publisher.Events.Select(RecordingPublisher.Describe));
        Assert.Equal(2, logger.Messages.Count(m => m.Contains("replica-a lost leadership", StringComparison.Ordinal)));
        Assert.Equal(3, logger.Messages.Count(m => m.Contains("replica-a leads", StringComparison.Ordinal)));
    }
}
