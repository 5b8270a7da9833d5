using k8s;
using Lookout.Hosting;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Repo;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.State;
using Lookout.Notifier.Configuration;
using Lookout.Notifier.Delivery;
using Lookout.Notifier.Evaluation;
using Lookout.Notifier.Repo;
using Lookout.Notifier.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Notifier;

/// <summary>The notifier's parts: configuration, evaluation, state and delivery, in the embedded or the cluster mode.</summary>
public static class NotifierServices
{
    /// <summary>Adds everything the consumers need.</summary>
    public static IServiceCollection AddNotificationPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<NotifierOptions>(configuration, NotifierOptions.SectionName, NotifierOptions.Check);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotifierOptions>>().Value);
        services.AddHttpClient();
        services.TryAddSingleton(ServiceTypes.BuiltIn());
        services.TryAddSingleton<ISlackThreadStore>(sp => new FileSlackThreadStore(sp.GetRequiredService<NotifierOptions>().DataFile("slack-threads.json")));
        services.TryAddSingleton(sp => new ServiceContext
        {
            HttpClients = name => sp.GetRequiredService<IHttpClientFactory>().CreateClient("notifications-" + name),
            Clock = sp.GetRequiredService<TimeProvider>(),
            Logs = sp.GetRequiredService<ILoggerFactory>(),
            SlackThreads = sp.GetRequiredService<ISlackThreadStore>(),
        });
        services.TryAddSingleton(sp => new ClusterClient(Connect(sp.GetRequiredService<NotifierOptions>())));
        services.TryAddSingleton<IConfigSource>(sp => sp.GetRequiredService<ClusterClient>().Client is { } client
            ? new KubernetesConfigSource(client, sp.GetRequiredService<NotifierOptions>(), sp.GetRequiredService<TimeProvider>())
            : new FileConfigSource(sp.GetRequiredService<NotifierOptions>().ConfigPath, sp.GetRequiredService<NotifierOptions>().SecretPath));
        services.TryAddSingleton<INotifiedStateStore>(sp => sp.GetRequiredService<ClusterClient>().Client is { } client
            ? new KubernetesStateStore(client)
            : new FileStateStore(sp.GetRequiredService<NotifierOptions>().DataFile("state.json")));
        services.TryAddSingleton<IProjectSource>(sp => sp.GetRequiredService<ClusterClient>().Client is { } client
            ? new KubernetesProjects(client, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<NotifierOptions>().ProjectsPath is { Length: > 0 } projects ? new FileProjects(projects)
            : new NoProjects());
        services.TryAddSingleton<IRepositorySecrets>(sp => sp.GetRequiredService<ClusterClient>().Client is { } client
            ? new KubernetesRepositorySecrets(client, sp.GetRequiredService<NotifierOptions>().Namespace)
            : new NoRepositorySecrets());
        services.TryAddSingleton(sp => RepoComposition.Create(sp.GetRequiredService<NotifierOptions>(), sp.GetRequiredService<IRepositorySecrets>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<NotifierMetrics>()));
        services.AddSingleton<NotificationConfigProvider>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<NotificationConfigProvider>());
        services.TryAddSingleton<IObjectProblems>(sp => sp.GetRequiredService<ClusterClient>().Client is { } client
            ? new KubernetesObjectProblems(client, sp.GetRequiredService<TimeProvider>())
            : new NoObjectProblems());
        services.TryAddSingleton(sp =>
        {
            NotifierOptions options = sp.GetRequiredService<NotifierOptions>();
            TimeProvider clock = sp.GetRequiredService<TimeProvider>();
            IConfigSource source = sp.GetRequiredService<ClusterClient>().Client is { } client
                ? new KubernetesConfigSource(client, options.Rollouts, clock)
                : new FileConfigSource(options.Rollouts.ConfigPath, options.Rollouts.SecretPath);
            return new RolloutsConfigProvider(new NotificationConfigProvider(
                source,
                sp.GetRequiredService<ServiceTypes>(),
                sp.GetRequiredService<ServiceContext>(),
                options,
                sp.GetRequiredService<ILogger<NotificationConfigProvider>>(),
                sp.GetRequiredService<NotifierMetrics>(),
                NotificationConfigParser.RolloutsCatalog));
        });
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RolloutsConfigProvider>().Provider);
        services.TryAddSingleton<SelfServiceConfigs>();
        services.AddSingleton<ObjectNotifier>();
        services.AddSingleton(sp => new SentLedger(sp.GetRequiredService<NotifierOptions>().DataFile("sent.log")));
        services.TryAddSingleton<HostMetrics>();
        services.TryAddSingleton(sp => new NotifierMetrics(sp.GetRequiredService<HostMetrics>().Factory));
        services.AddSingleton(sp => new DeadLetterStore(sp.GetRequiredService<NotifierOptions>().DataFile("dead-letters.json"), sp.GetRequiredService<NotifierMetrics>()));
        services.AddSingleton(sp => new CircuitBreakers(sp.GetRequiredService<NotifierOptions>().Delivery, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<NotifierMetrics>()));
        services.AddSingleton<RateLimits>();
        services.AddSingleton<DeliveryService>();
        return services;
    }

    /// <summary>The cluster client, or null in the embedded mode (a ConfigMap file, or no cluster at all).</summary>
    private static k8s.Kubernetes? Connect(NotifierOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConfigPath))
        {
            return null;
        }

        KubernetesClientConfiguration? config =
            !string.IsNullOrWhiteSpace(options.ApiServer) ? new KubernetesClientConfiguration { Host = options.ApiServer.TrimEnd('/') }
            : !string.IsNullOrWhiteSpace(options.Kubeconfig) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : null;
        return config is null ? null : new k8s.Kubernetes(config);
    }
}

/// <summary>The Kubernetes client of the cluster mode; null in the embedded mode.</summary>
public sealed record ClusterClient(IKubernetes? Client);
