using k8s;
using Lookout.Hosting;
using Lookout.Watcher.Demo;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.Resync;
using Lookout.Watcher.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher;

/// <summary>How the watcher is put together; used by its own Program and by the all-in-one host.</summary>
public static class WatcherComposition
{
    /// <summary>
    /// Adds the publishing side (stage <see cref="HostStage.Publishing"/>), the watchers (stage
    /// <see cref="HostStage.Sources"/>: they stop first, then the buffer drains) and their readiness checks. The
    /// cluster comes from <c>Watcher:ApiServer</c>, <c>Watcher:Kubeconfig</c>, the pod's service account, or, when
    /// none is there, the demo scenario in <c>Watcher:DemoScenarioPath</c>. The bus
    /// (<see cref="LookoutBus.AddLookoutBus"/>) is added by the caller.
    /// </summary>
    public static IServiceCollection AddWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HostMetrics>();
        services.AddEventPublishing(configuration);
        services.AddValidatedOptions<WatcherOptions>(configuration, WatcherOptions.SectionName, WatcherOptions.Check);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WatcherOptions>>().Value);
        services.AddSingleton(sp => new WatcherMetrics(sp.GetRequiredService<HostMetrics>().Factory));
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
                connection.Client,
                connection.Cluster,
                sp.GetRequiredService<WatcherMetrics>(),
                connection.StateStore);
        });
        services.AddStagedService<KubernetesWatchingService>(HostStage.Sources);
        services.AddResync(configuration);
        services.AddHealthChecks().AddCheck<WatchingReadiness>("watching", tags: [ServiceDefaults.ReadyTag]);
        services.AddOptions<Verdicts.VerdictOptions>().Bind(configuration.GetSection(Verdicts.VerdictOptions.SectionName));
        return services;
    }

    /// <summary>Registers the watcher's consumers on the bus: the analyzer's verdicts, applied to Rollouts (each Rollout's in order), and consumers' resync requests.</summary>
    public static void AddWatcherConsumers(this MassTransit.IBusRegistrationConfigurator bus)
    {
        bus.AddOrderedConsumer<Verdicts.VerdictConsumer, Contracts.AnalysisVerdict>();
        Resync.ResyncComposition.AddResyncConsumer(bus);
    }

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
            k8s.Kubernetes client = KubernetesWatchSource.CreateClient(config);
            LeaderElectionOptions election = options.LeaderElection;
            string stateNamespace = election.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";
            IPublishedStateStore store = !string.IsNullOrWhiteSpace(options.StateFile)
                ? new FilePublishedStateStore(options.StateFile)
                : new ConfigMapPublishedStateStore(client, stateNamespace, election.LeaseName + "-state");
            return new ClusterConnection(
                new KubernetesWatchSource(client, options), client, options.Cluster ?? WatcherOptions.DefaultCluster, store, config.Host ?? "cluster");
        }

        if (string.IsNullOrWhiteSpace(options.DemoScenarioPath))
        {
            throw new InvalidOperationException(
                "Watcher: no cluster is configured. Set Watcher:Kubeconfig (a kubeconfig file), Watcher:ApiServer "
                + "(for kubectl proxy), run in a pod, or set Watcher:DemoScenarioPath to replay a demo scenario.");
        }

        // A replayed scenario has no Lease to elect a leader on: without a client the watcher always leads. The
        // name "demo" belongs to this source alone.
        return new ClusterConnection(
            new ScenarioWatchSource(options.DemoScenarioPath, options.DemoReplayInterval, timeProvider),
            null,
            options.Cluster ?? WatcherOptions.DemoCluster,
            string.IsNullOrWhiteSpace(options.StateFile) ? null : new FilePublishedStateStore(options.StateFile),
            $"demo scenario {options.DemoScenarioPath}");
    }
}

/// <summary>The source of objects and, for a real cluster, the client used for the leader-election Lease.</summary>
/// <param name="Source">Where lists and watches go.</param>
/// <param name="Client">The Kubernetes client; null for the demo scenario.</param>
/// <param name="Cluster">The cluster name stamped on events.</param>
/// <param name="StateStore">Where the published-state record lives; null for none.</param>
/// <param name="Description">Where the objects come from, for the start-up log.</param>
public sealed record ClusterConnection(IWatchSource Source, IKubernetes? Client, string Cluster, IPublishedStateStore? StateStore, string Description);
