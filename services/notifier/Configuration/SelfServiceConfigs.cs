using System.Collections.Concurrent;
using k8s;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Configuration;

/// <summary>
/// notifications-engine's self-service configurations (<c>--self-service-notification-enabled</c>): the same ConfigMap
/// and Secret (Argo CD's names for Applications, Argo Rollouts' for Rollouts) in the object's own namespace, used beside
/// the controller's own configuration, each with its own services, triggers, templates and subscriptions (no built-in
/// catalog: upstream parses that ConfigMap alone), and with the namespace in its notified-state keys. Read through the
/// Kubernetes API on first use per namespace and checked again at most every <see cref="NotifierOptions.ReloadInterval"/>.
/// </summary>
public sealed partial class SelfServiceConfigs(
    ClusterClient cluster, NotifierOptions options, ServiceTypes types, ServiceContext services, TimeProvider clock, ILogger<SelfServiceConfigs> logger)
{
    private readonly ConcurrentDictionary<(string Kind, string Namespace), Entry> entries = new();

    /// <summary>Whether self-service configurations are read (the option is on and there is a cluster).</summary>
    public bool Enabled => options.SelfServiceNotificationEnabled && cluster.Client is not null;

    /// <summary>The self-service configuration for an object of <paramref name="kind"/> in <paramref name="namespace"/>, or null (none there, or the controller's own namespace).</summary>
    public async Task<NotificationConfig?> GetAsync(string kind, string @namespace, CancellationToken cancellationToken)
    {
        if (!Enabled || @namespace == (kind == "Rollout" ? options.Rollouts.Namespace : options.Namespace))
        {
            return null;
        }

        Entry entry = entries.GetOrAdd((kind, @namespace), key => new Entry(Source(key.Kind, key.Namespace)));
        DateTimeOffset now = clock.GetUtcNow();
        if (entry.CheckedAt is { } checkedAt && now - checkedAt < options.ReloadInterval)
        {
            return entry.Config;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (entry.CheckedAt is { } again && clock.GetUtcNow() - again < options.ReloadInterval)
            {
                return entry.Config;
            }

            string version = await entry.Source.VersionAsync(cancellationToken).ConfigureAwait(false);
            if (version != entry.Version)
            {
                entry.Config = version == "-|-" ? null : Parse(kind, await entry.Source.ReadAsync(cancellationToken).ConfigureAwait(false), @namespace);
                entry.Version = version;
            }

            entry.CheckedAt = clock.GetUtcNow();
            return entry.Config;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The last configuration read stays (none at first); the next object tries again.
            LogReadFailed(logger, @namespace, ex.GetType().Name, ex.Message);
            return entry.Config;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private KubernetesConfigSource Source(string kind, string @namespace) => kind == "Rollout"
        ? new KubernetesConfigSource(cluster.Client!, @namespace, options.Rollouts.ConfigMapName, options.Rollouts.SecretName, clock)
        : new KubernetesConfigSource(cluster.Client!, @namespace, options.ConfigMapName, options.SecretName, clock);

    private NotificationConfig Parse(string kind, ConfigMapData data, string @namespace)
    {
        NotificationConfig config = NotificationConfigParser.Parse(data, types, services);
        foreach (ConfigProblem problem in config.Problems)
        {
            LogProblem(logger, config.Source, problem.Key, problem.Message, problem.Disabled);
        }

        // Argo CD hides .secrets from templates once self-service is on; Argo Rollouts offers them.
        return config.With(@namespace, secretsInTemplates: kind == "Rollout");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "self-service notification configuration {Source}: {Key}: {Problem} (disabled: {Disabled})")]
    private static partial void LogProblem(ILogger logger, string source, string key, string problem, bool disabled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read the self-service notification configuration in {Namespace} ({Type}: {Message})")]
    private static partial void LogReadFailed(ILogger logger, string @namespace, string type, string message);

    private sealed class Entry(KubernetesConfigSource source)
    {
        public KubernetesConfigSource Source { get; } = source;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Version { get; set; }

        public NotificationConfig? Config { get; set; }

        public DateTimeOffset? CheckedAt { get; set; }
    }
}
