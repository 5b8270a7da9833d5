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

/// <summary>The shared bus configuration (libs/Hosting) on the real broker: order per object, concurrency across objects, reconnects.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class LookoutBusTests(RabbitMqFixture broker)
{
    private static ApplicationChanged Change(string obj, int version) => new()
    {
        Object = new ObjectIdentity("test", "argocd", obj, $"00000000-0000-4000-8000-{obj.GetHashCode(StringComparison.Ordinal) & 0xFFFFFF:D12}"),
        ResourceVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Generation = 1,
        ObservedAt = DateTimeOffset.UnixEpoch,
        IsResync = false,
        Body = JsonSerializer.SerializeToElement(new { metadata = new { name = obj } }),
        Summary = new ApplicationSummary("Synced", "Healthy", null, null, false),
    };

    private IHost Service(OrderProbe probe)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = broker.Url,
            ["Bus:PrefetchCount"] = "16",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(probe);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddConsumer<OrderProbeConsumer>().Endpoint(e => e.Name = "order-probe-" + Guid.NewGuid().ToString("N")));
        return builder.Build();
    }

    [SkippableFact]
    public async Task OneObjectsMessages_AreHandledInOrder_WhileOtherObjectsRunConcurrently()
    {
        broker.SkipUnlessAvailable();
        var probe = new OrderProbe();
        using IHost host = Service(probe);
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        IBus bus = host.Services.GetRequiredService<IBus>();

        // a@0 is held until b@0 has been handled: without concurrency across objects this never finishes.
        probe.Hold("a", 0, until: ("b", 0));
        for (int version = 0; version < 25; version++)
        {
            foreach (string obj in (string[])["a", "b", "c", "d"])
            {
                await bus.Publish(Change(obj, version));
            }
        }

        await probe.WaitForAsync(100, TimeSpan.FromSeconds(60));
        foreach (string obj in (string[])["a", "b", "c", "d"])
        {
            Assert.Equal(Enumerable.Range(0, 25), probe.Handled(obj));
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
