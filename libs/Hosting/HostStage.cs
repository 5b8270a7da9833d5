using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Hosting;

/// <summary>
/// When a part of a service starts and stops. Stages start in ascending order and stop in descending order, so
/// the order is stated here instead of being implied by the order of registrations: at shutdown the sources stop
/// reading first, the outgoing buffer then drains onto the bus, and the bus stops last.
/// </summary>
public enum HostStage
{
    /// <summary>The message bus (MassTransit and its consumers): first up, last down.</summary>
    Bus = 0,

    /// <summary>Outgoing buffers that publish onto the bus: they drain after the sources stopped, before the bus stops.</summary>
    Publishing = 1,

    /// <summary>What produces work (Kubernetes watches, schedulers): first down, so nothing new enters a draining buffer.</summary>
    Sources = 2,
}

/// <summary>One hosted part and the stage it belongs to.</summary>
/// <param name="Stage">When it starts and stops.</param>
/// <param name="Name">Its name, for logs.</param>
/// <param name="Resolve">Gets the part from the container.</param>
public sealed record StagedService(HostStage Stage, string Name, Func<IServiceProvider, IHostedService> Resolve);

/// <summary>Registers hosted parts by stage; <see cref="StagedLifecycle"/> runs them.</summary>
public static class StagedServiceCollectionExtensions
{
    /// <summary>Runs the singleton <typeparamref name="TService"/> (registered separately) as a hosted part of <paramref name="stage"/>.</summary>
    public static IServiceCollection AddStagedService<TService>(this IServiceCollection services, HostStage stage)
        where TService : class, IHostedService
    {
        EnsureLifecycle(services);
        services.AddSingleton(new StagedService(stage, typeof(TService).Name, sp => sp.GetRequiredService<TService>()));
        return services;
    }

    /// <summary>Runs a hosted part made by <paramref name="resolve"/> in <paramref name="stage"/>.</summary>
    public static IServiceCollection AddStagedService(this IServiceCollection services, HostStage stage, string name, Func<IServiceProvider, IHostedService> resolve)
    {
        EnsureLifecycle(services);
        services.AddSingleton(new StagedService(stage, name, resolve));
        return services;
    }

    private static void EnsureLifecycle(IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(StagedLifecycle)))
        {
            services.AddSingleton<StagedLifecycle>();
            services.AddHostedService(sp => sp.GetRequiredService<StagedLifecycle>());
        }
    }
}
