using System.Collections.Concurrent;
using System.Text.Json;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Watcher.Tests.EndToEnd;

/// <summary>The shared bus configuration (libs/Hosting): order per object, concurrency across objects, on the real broker and in memory.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class LookoutBusTests(RabbitMqFixture broker)
{
    private const int Partitions = 4;

    // a, b, c and d fall in partitions 0, 1, 2 and 3; e shares a's partition.
    private static readonly Dictionary<string, ObjectIdentity> Objects = new(StringComparer.Ordinal)
    {
        ["a"] = InPartition("a", 0, skip: 0),
        ["b"] = InPartition("b", 1, skip: 0),
        ["c"] = InPartition("c", 2, skip: 0),
        ["d"] = InPartition("d", 3, skip: 0),
        ["e"] = InPartition("e", 0, skip: 1),
    };

    private static ObjectIdentity InPartition(string name, int partition, int skip)
    {
        int found = 0;
        for (int n = 0; ; n++)
        {
            var identity = new ObjectIdentity("test", "argocd", name, $"00000000-0000-4000-8000-{n:D12}");
            if (ObjectPartitions.PartitionOf(identity, Partitions) == partition && found++ == skip)
            {
                return identity;
            }
        }
    }

    private static ApplicationChanged Change(string obj, int version) => new()
    {
        Object = Objects[obj],
        ResourceVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Generation = 1,
        ObservedAt = DateTimeOffset.UnixEpoch,
        IsResync = false,
        Body = JsonSerializer.SerializeToElement(new { metadata = new { name = obj } }),
        Summary = new ApplicationSummary("Synced", "Healthy", null, null, false),
    };

    private IHost Service(OrderProbe probe, bool rabbitMq)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = rabbitMq ? broker.Url : null,
            ["Bus:PrefetchCount"] = "16",
            ["Bus:Partitions"] = Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(probe);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddOrderedConsumer<OrderProbeConsumer, ApplicationChanged>());
        return builder.Build();
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OneObjectsMessages_AreHandledInOrder_WhileOtherObjectsRunConcurrently(bool rabbitMq)
    {
        if (rabbitMq)
        {
            broker.SkipUnlessAvailable();
        }

        var probe = new OrderProbe();
        using IHost host = Service(probe, rabbitMq);
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        IBus bus = host.Services.GetRequiredService<IBus>();

        // a@0 is held until b@0 has been handled: without concurrency across objects this never finishes.
        probe.Hold("a", 0, until: ("b", 0));
        const int Versions = 40;
        for (int version = 0; version < Versions; version++)
        {
            foreach (string obj in Objects.Keys)
            {
                await bus.Publish(Change(obj, version));
            }
        }

        await probe.WaitForAsync(Versions * Objects.Count, TimeSpan.FromSeconds(60));
        foreach (string obj in Objects.Keys)
        {
            Assert.Equal(Enumerable.Range(0, Versions), probe.Handled(obj));
        }

        await host.StopAsync();
    }
}

/// <summary>Records the versions handled per object; can hold one message until another one was handled.</summary>
public sealed class OrderProbe
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> handled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, int), TaskCompletionSource> done = new();
    private (string Obj, int Version, string UntilObj, int UntilVersion)? hold;
    private int count;

    public void Hold(string obj, int version, (string Obj, int Version) until) => hold = (obj, version, until.Obj, until.Version);

    public IEnumerable<int> Handled(string obj) => handled.GetValueOrDefault(obj)?.ToArray() ?? [];

    public async Task HandleAsync(string obj, int version)
    {
        if (hold is { } h && h.Obj == obj && h.Version == version)
        {
            await Signal(h.UntilObj, h.UntilVersion).Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // A little work, so that a later message of the same object would overtake this one if it could.
        await Task.Delay(Random.Shared.Next(0, 4));
        handled.GetOrAdd(obj, _ => new ConcurrentQueue<int>()).Enqueue(version);
        Interlocked.Increment(ref count);
        Signal(obj, version).TrySetResult();
    }

    public async Task WaitForAsync(int total, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Volatile.Read(ref count) < total)
        {
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"handled {count} of {total}: {string.Join("; ", handled.Select(kv => $"{kv.Key}: {string.Join(',', kv.Value)}"))}");
            }
        }
    }

    private TaskCompletionSource Signal(string obj, int version) =>
        done.GetOrAdd((obj, version), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

public sealed class OrderProbeConsumer(OrderProbe probe) : IConsumer<ApplicationChanged>
{
    public Task Consume(ConsumeContext<ApplicationChanged> context) =>
        probe.HandleAsync(context.Message.Object.Name, int.Parse(context.Message.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
}
