using Lookout.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher.Resync;

/// <summary>How the resync side is put together.</summary>
public static class ResyncComposition
{
    /// <summary>Adds the <see cref="ResyncScheduler"/> (stage <see cref="HostStage.Sources"/>) and its options and metrics.</summary>
    public static IServiceCollection AddResync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ResyncOptions>(configuration, ResyncOptions.SectionName, ResyncOptions.Check);
        services.AddSingleton(sp => new ResyncMetrics(sp.GetRequiredService<HostMetrics>().Factory));
        services.AddSingleton(sp => new ResyncScheduler(
            sp.GetRequiredService<Kubernetes.KubernetesWatchingService>(),
            sp.GetRequiredService<IOptions<ResyncOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ResyncMetrics>(),
            sp.GetRequiredService<ILogger<ResyncScheduler>>()));
        services.AddStagedService<ResyncScheduler>(HostStage.Sources);
        return services;
    }

    /// <summary>
    /// Receives every <see cref="Contracts.ResyncRequested"/> on a queue of this replica's own (temporary: auto-deleted
    /// when the replica goes), so every replica hears each request and none takes it from another.
    /// </summary>
    public static void AddResyncConsumer(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        // Temporary alone only makes the queue auto-delete; the instance id makes it this replica's own
        // (resync-requested-{id}), so replicas do not compete for one queue.
        string instance = Guid.NewGuid().ToString("N")[..12];
        bus.AddConsumer<ResyncRequestedConsumer>().Endpoint(e =>
        {
            e.Temporary = true;
            e.InstanceId = instance;
        });
    }
}
