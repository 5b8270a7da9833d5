using Lookout.Hosting;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using Lookout.Watcher.Kubernetes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Watcher.Tests.EndToEnd;

/// <summary>Builds real hosts on the real broker: watchers composed as in production, and a consumer.</summary>
internal static class BusHarness
{
    /// <summary>A watcher host exactly as the service composes it, pointed at the fake API server and the broker.</summary>
    public static IHost Watcher(FakeKubernetesApiServer api, RabbitMqFixture broker, string? leaseIdentity = null, Action<Dictionary<string, string?>>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = broker.Url,
            ["Watcher:ApiServer"] = api.BaseAddress.ToString(),
            ["Watcher:Cluster"] = "e2e",
            ["Watcher:WatchRollouts"] = "false",
            ["Watcher:InitialBackoff"] = "00:00:00.050",
            ["Watcher:MaxBackoff"] = "00:00:00.500",
            ["Watcher:LeaderElection:Enabled"] = leaseIdentity is null ? "false" : "true",
            ["Watcher:LeaderElection:Identity"] = leaseIdentity,
            ["Watcher:LeaderElection:LeaseNamespace"] = "lookout",
            ["Watcher:LeaderElection:LeaseDuration"] = "00:00:03",
            ["Watcher:LeaderElection:RenewDeadline"] = "00:00:02",
            ["Watcher:LeaderElection:RetryPeriod"] = "00:00:00.250",
            ["Publisher:InitialRetryDelay"] = "00:00:00.100",
            ["Publisher:MaxRetryDelay"] = "00:00:01",
            ["Publisher:AttemptTimeout"] = "00:00:05",
        };
        settings?.Invoke(values);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging();
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddWatcherConsumers());
        builder.Services.AddWatcher(builder.Configuration);
        return builder.Build();
    }

    /// <summary>A consumer host with its own durable queue, consuming one message at a time (so arrival order is kept).</summary>
    public static IHost Consumer(RabbitMqFixture broker, EventSink sink, string queue)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(sink);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RecordingConsumer>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                LookoutBus.ConfigureHost(cfg, new RabbitMqOptions { Url = broker.Url });
                cfg.ReceiveEndpoint(queue, e =>
                {
                    e.ConcurrentMessageLimit = 1;
                    e.PrefetchCount = 16;
                    e.ConfigureConsumer<RecordingConsumer>(context);
                });
            });
        });
        return builder.Build();
    }

    /// <summary>Starts a consumer host and waits until its endpoint is bound, so nothing published afterwards is missed.</summary>
    public static async Task StartConsumerAsync(IHost consumer)
    {
        await consumer.StartAsync();
        IBusControl bus = consumer.Services.GetRequiredService<IBusControl>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, cts.Token);
    }

    public static KubernetesWatchingService WatchingService(IHost watcher) =>
        watcher.Services.GetRequiredService<KubernetesWatchingService>();
}
