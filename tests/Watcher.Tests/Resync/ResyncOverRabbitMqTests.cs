using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.Resync;
using Lookout.Watcher.Tests.EndToEnd;
using Lookout.Watcher.Tests.Kubernetes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Watcher.Tests.Resync;

/// <summary>
/// A consumer whose queues did not exist when the watcher published its start-up listing (first install, a new
/// partition count, a deleted queue) asks for the current state and gets it, from the leader only.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ResyncOverRabbitMqTests(RabbitMqFixture broker)
{
    private const string Apps = "applications";

    [SkippableFact]
    public async Task ConsumerStartedAfterTheWatcher_ReceivesEveryObjectsCurrentState_FromTheLeaderOnly()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        api.Upsert(Apps, Objects.Application("a"));
        api.Upsert(Apps, Objects.Application("b", "OutOfSync", "Progressing"));
        api.Upsert(Apps, Objects.Application("c", "Synced", "Degraded"));
        using IHost leader = BusHarness.Watcher(api, broker, "replica-1");
        using IHost standby = BusHarness.Watcher(api, broker, "replica-2");
        await leader.StartAsync();
        await BusHarness.WatchingService(leader).StartedLeading.WaitAsync(TimeSpan.FromSeconds(30));
        await standby.StartAsync();

        // The start-up listing is on the broker before the consumer's queues exist: the broker drops it.
        await Until(() => BusHarness.WatchingService(leader).Watchers is [{ IsWatching: true }]);
        using (var flush = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await leader.Services.GetRequiredService<IEventPublisher>().FlushAsync(flush.Token);
        }

        var sink = new EventSink();
        using IHost consumer = Consumer(broker, sink, "resync-" + Guid.NewGuid().ToString("N")[..8]);
        await consumer.StartAsync();
        await sink.WaitUntilAsync(r => r.Count >= 3);

        Assert.Equal(
            ["app argocd/a Synced/Healthy resync", "app argocd/b OutOfSync/Progressing resync", "app argocd/c Synced/Degraded resync"],
            sink.Received.Select(r => r.Description).Order(StringComparer.Ordinal));
        ResyncMetrics leaderMetrics = leader.Services.GetRequiredService<ResyncMetrics>();
        ResyncMetrics standbyMetrics = standby.Services.GetRequiredService<ResyncMetrics>();
        await Until(() => standbyMetrics.Requests.WithLabels(ResyncRequested.Started, "false").Value == 1);
        Assert.Equal(1, leaderMetrics.Resyncs.WithLabels(ResyncRequested.Started).Value);
        Assert.Equal(0, standbyMetrics.Resyncs.WithLabels(ResyncRequested.Started).Value);

        // What follows is ordinary: the next change arrives once, after the restatement.
        api.Upsert(Apps, Objects.Application("b", "Synced", "Healthy"));
        await sink.WaitUntilAsync(r => r.Count >= 4);
        Assert.Equal("app argocd/b Synced/Healthy", sink.Received[3].Description);
        Assert.Equal(4, sink.Received.Count);

        await consumer.StopAsync();
        await standby.StopAsync();
        await leader.StopAsync();
    }

    /// <summary>A notifier-side consumer composed as the services are: ordered, on partition queues of its own.</summary>
    private static IHost Consumer(RabbitMqFixture broker, EventSink sink, string endpoint)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bus:RabbitMq:Url"] = broker.Url, ["Bus:Partitions"] = "2" });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(sink);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddOrderedConsumer<RecordingConsumer, ApplicationChanged>(endpoint));
        return builder.Build();
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
