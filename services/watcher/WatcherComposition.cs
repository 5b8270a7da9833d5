using k8s;
using Lookout.Hosting;
using Lookout.Watcher.Demo;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher;

/// <summary>How the watcher is put together; used by its own Program and by the all-in-one host.</summary>
public static class WatcherComposition
{
    /// <summary>
    /// Adds the publishing side and the watchers. The cluster comes from <c>Watcher:ApiServer</c>,
    /// <c>Watcher:Kubeconfig</c>, the pod's service account, or, when none is there, the demo scenario in
    /// <c>Watcher:DemoScenarioPath</c>. The bus (<see cref="LookoutBus.AddLookoutBus"/>) is added by the caller.
    /// </summary>
    public static IServiceCollection AddWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Registered first so that it stops last: the watchers stop reading, then the buffer drains.
        services.AddEventPublishing(configuration);
        services.AddValidatedOptions<WatcherOptions>(configuration, WatcherOptions.SectionName, WatcherOptions.Check);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WatcherOptions>>().Value);
        services.AddSingleton(sp => Connect(sp.GetRequiredService<WatcherOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            ClusterConnection connection = sp.GetRequiredService<ClusterConnection>();
            return new KubernetesWatchingService(
                connection.Source,
                sp.GetRequiredService<IEventPublisher>(),
                sp.GetRequiredService<WatcherOptions>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(),
                connection.Client);
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KubernetesWatchingService>());
        services.AddOptions<Verdicts.VerdictOptions>().Bind(configuration.GetSection(Verdicts.VerdictOptions.SectionName));
        return services;
    }

    /// <summary>Registers the watcher's consumers on the bus: the analyzer's verdicts, applied to Rollouts.</summary>
    public static void AddWatcherConsumers(this MassTransit.IBusRegistrationConfigurator bus) => bus.AddConsumer<Verdicts.VerdictConsumer>();

    /// <summary>Chooses where objects come from.</summary>
    /// <exception cref="InvalidOperationException">No cluster and no demo scenario is configured.</exception>
    public static ClusterConnection Connect(WatcherOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        KubernetesClientConfiguration? config = null;
        if (!string.IsNullOrWhiteSpace(options.ApiServer))
        {
            config = new KubernetesClientConfiguration { Host = options.ApiServer.TrimEnd('/') };
        }
        else if (!string.IsNullOrWhiteSpace(options.Kubeconfig))
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            config = KubernetesClientConfiguration.InClusterConfig();
        }

        if (config is not null)
        {
            var client = new k8s.Kubernetes(config);
            return new ClusterConnection(new KubernetesWatchSource(client, options), client, config.Host ?? "cluster");
        }

        if (string.IsNullOrWhiteSpace(options.DemoScenarioPath))
        {
            throw new InvalidOperationException(
                "Watcher: no cluster is configured. Set Watcher:Kubeconfig (a kubeconfig file), Watcher:ApiServer "
                + "(for kubectl proxy), run in a pod, or set Watcher:DemoScenarioPath to replay a demo scenario.");
        }

        // A replayed scenario has no Lease to elect a leader on: without a client the watcher always leads.
        return new ClusterConnection(
            new ScenarioWatchSource(options.DemoScenarioPath, options.DemoReplayInterval, timeProvider), null, $"demo scenario {options.DemoScenarioPath}");
    }
}

/// <summary>The source of objects and, for a real cluster, the client used for the leader-election Lease.</summary>
/// <param name="Source">Where lists and watches go.</param>
/// <param name="Client">The Kubernetes client; null for the demo scenario.</param>
/// <param name="Description">Where the objects come from, for the start-up log.</param>
public sealed record ClusterConnection(IWatchSource Source, IKubernetes? Client, string Description);
