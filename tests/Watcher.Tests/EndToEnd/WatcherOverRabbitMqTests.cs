using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using Lookout.Watcher.Tests.Kubernetes;
using Microsoft.Extensions.Hosting;

namespace Lookout.Watcher.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}

[Collection(RabbitMqCollection.Name)]
public sealed class WatcherOverRabbitMqTests(RabbitMqFixture broker)
{
    private const string Apps = "applications";

    private static string Queue() => "e2e-" + Guid.NewGuid().ToString("N");

    [SkippableFact]
    public async Task ChangesSeenByTheApi_ArriveOnTheBroker_AsExactlyThoseEvents_InOrderPerObject()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        var sink = new EventSink();
        using IHost consumer = BusHarness.Consumer(broker, sink, Queue());
        await BusHarness.StartConsumerAsync(consumer);
        api.Upsert(Apps, Objects.Application("a", "OutOfSync", "Healthy"));
        using IHost watcher = BusHarness.Watcher(api, broker);
        await watcher.StartAsync();
        await sink.WaitUntilAsync(r => r.Count >= 1);

        api.Upsert(Apps, Objects.Application("a", "Synced", "Progressing"));
        api.Upsert(Apps, Objects.Application("b", "Synced", "Healthy"));
        api.Upsert(Apps, Objects.Application("a", "Synced", "Healthy"));
        api.Delete(Apps, "argocd", "b");
        await sink.WaitUntilAsync(r => r.Count >= 5);

        // Exactly those events; in order per object (different objects travel in parallel lanes).
        string[] received = [.. sink.Received.Select(r => r.Description)];
        Assert.Equal(5, received.Length);
        Assert.Equal(
            ["app argocd/a OutOfSync/Healthy resync", "app argocd/a Synced/Progressing", "app argocd/a Synced/Healthy"],
            received.Where(d => d.Contains("argocd/a ", StringComparison.Ordinal)));
        Assert.Equal(
            ["app argocd/b Synced/Healthy", "deleted Application argocd/b"],
            received.Where(d => d.EndsWith("argocd/b", StringComparison.Ordinal) || d.Contains("argocd/b ", StringComparison.Ordinal)));
        Assert.Equal(5, sink.Received.Select(r => r.MessageId).Distinct().Count());
        await watcher.StopAsync();
        await consumer.StopAsync();
    }

    [SkippableFact]
    public async Task BrokerRestartedMidStream_LosesNoEvent_AndDuplicatesCarryTheSameMessageId()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        var sink = new EventSink();
        using IHost consumer = BusHarness.Consumer(broker, sink, Queue());
        await BusHarness.StartConsumerAsync(consumer);
        using IHost watcher = BusHarness.Watcher(api, broker);
        await watcher.StartAsync();
        await api.WaitForWatchesAsync(1, TimeSpan.FromSeconds(30));

        for (int i = 0; i < 20; i++)
        {
            api.Upsert(Apps, Objects.Application($"app{i % 4}", i % 2 == 0 ? "Synced" : "OutOfSync", $"H{i}"));
        }

        await sink.WaitUntilAsync(r => r.Count >= 5);
        await broker.StopAsync();
        for (int i = 20; i < 40; i++)
        {
            api.Upsert(Apps, Objects.Application($"app{i % 4}", i % 2 == 0 ? "Synced" : "OutOfSync", $"H{i}"));
        }

        await broker.StartAsync();
        await sink.WaitUntilAsync(r => r.Select(x => x.Description).Distinct().Count() >= 40, TimeSpan.FromSeconds(120));

        // Every change arrived; a message received twice (published again after a lost confirm) has one id.
        IReadOnlyList<(Guid MessageId, string Description)> received = sink.Received;
        for (int i = 0; i < 40; i++)
        {
            Assert.Contains(received, r => r.Description.EndsWith($"/H{i}", StringComparison.Ordinal));
        }

        foreach (IGrouping<Guid, (Guid MessageId, string Description)> same in received.GroupBy(r => r.MessageId))
        {
            Assert.Single(same.Select(r => r.Description).Distinct());
        }

        // Per object, the order of first arrivals is the order of the changes.
        foreach (IGrouping<string, string> perObject in received.Select(r => r.Description).Distinct().GroupBy(d => d.Split(' ')[1]))
        {
            int[] order = [.. perObject.Select(d => int.Parse(d.Split("/H")[1], System.Globalization.CultureInfo.InvariantCulture))];
            Assert.Equal(order.Order(), order);
        }

        await watcher.StopAsync();
        await consumer.StopAsync();
    }

    [SkippableFact]
    public async Task TwoWatchersWithOneLease_PublishEachChangeOnce()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        var sink = new EventSink();
        using IHost consumer = BusHarness.Consumer(broker, sink, Queue());
        await BusHarness.StartConsumerAsync(consumer);
        api.Upsert(Apps, Objects.Application("a"));
        using IHost first = BusHarness.Watcher(api, broker, "replica-1");
        using IHost second = BusHarness.Watcher(api, broker, "replica-2");
        await first.StartAsync();
        await BusHarness.WatchingService(first).StartedLeading.WaitAsync(TimeSpan.FromSeconds(30));
        await second.StartAsync();
        await sink.WaitUntilAsync(r => r.Count >= 1);

        for (int i = 0; i < 10; i++)
        {
            api.Upsert(Apps, Objects.Application("a", i % 2 == 0 ? "OutOfSync" : "Synced", $"H{i}"));
        }

        await sink.WaitUntilAsync(r => r.Count >= 11);
        int leaseReads = api.RequestCount("get", "leases");
        await api.WaitForRequestsAsync("get", "leases", leaseReads + 8, TimeSpan.FromSeconds(30));

        Assert.Equal(11, sink.Received.Count);
        Assert.Equal(11, sink.Received.Select(r => r.MessageId).Distinct().Count());
        Assert.False(BusHarness.WatchingService(second).IsLeading);
        await second.StopAsync();
        await first.StopAsync();
        await consumer.StopAsync();
    }
}
