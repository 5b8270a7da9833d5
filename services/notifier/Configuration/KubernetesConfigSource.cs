using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lookout.Notifications.Configuration;

namespace Lookout.Notifier.Configuration;

/// <summary>
/// The ConfigMap and Secret read through the Kubernetes API (names and namespace from <see cref="NotifierOptions"/>).
/// A missing ConfigMap or Secret is empty (the catalog alone applies). Problems are recorded as Warning Events on the
/// ConfigMap, where <c>kubectl describe</c> shows them.
/// </summary>
public sealed class KubernetesConfigSource(IKubernetes client, string @namespace, string configMapName, string secretName, TimeProvider clock) : IConfigSource
{
    /// <summary>Argo CD's ConfigMap and Secret, as <paramref name="options"/> name them.</summary>
    public KubernetesConfigSource(IKubernetes client, NotifierOptions options, TimeProvider clock)
        : this(client, (options ?? throw new ArgumentNullException(nameof(options))).Namespace, options.ConfigMapName, options.SecretName, clock)
    {
    }

    /// <summary>Argo Rollouts' ConfigMap and Secret, as <paramref name="options"/> name them.</summary>
    public KubernetesConfigSource(IKubernetes client, RolloutsConfigOptions options, TimeProvider clock)
        : this(client, (options ?? throw new ArgumentNullException(nameof(options))).Namespace, options.ConfigMapName, options.SecretName, clock)
    {
    }

    private V1ConfigMap? configMap;
    private V1Secret? secret;

    /// <inheritdoc/>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        configMap = await ReadOrNull(() => client.CoreV1.ReadNamespacedConfigMapAsync(configMapName, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        secret = await ReadOrNull(() => client.CoreV1.ReadNamespacedSecretAsync(secretName, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return $"{configMap?.Metadata?.ResourceVersion ?? "-"}|{secret?.Metadata?.ResourceVersion ?? "-"}";
    }

    /// <inheritdoc/>
    public async Task<ConfigMapData> ReadAsync(CancellationToken cancellationToken)
    {
        if (configMap is null && secret is null)
        {
            await VersionAsync(cancellationToken).ConfigureAwait(false);
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, byte[] value) in secret?.Data ?? new Dictionary<string, byte[]>())
        {
            secrets[key] = Encoding.UTF8.GetString(value);
        }

        foreach ((string key, string value) in secret?.StringData ?? new Dictionary<string, string>())
        {
            secrets[key] = value;
        }

        var data = new Dictionary<string, string>(configMap?.Data ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return new ConfigMapData(configMapName, @namespace, data, secrets);
    }

    /// <inheritdoc/>
    public async Task ReportAsync(IReadOnlyList<ConfigProblem> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (configMap is null)
        {
            return;
        }

        foreach (ConfigProblem problem in problems)
        {
            DateTime now = clock.GetUtcNow().UtcDateTime;
            var e = new Corev1Event
            {
                Metadata = new V1ObjectMeta { GenerateName = configMapName + ".", NamespaceProperty = @namespace },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Name = configMapName,
                    NamespaceProperty = @namespace,
                    Uid = configMap.Metadata?.Uid,
                    ResourceVersion = configMap.Metadata?.ResourceVersion,
                },
                Reason = problem.Disabled ? "InvalidNotificationConfig" : "NotificationConfigWarning",
                Message = problem.ToString(),
                Type = "Warning",
                Source = new V1EventSource { Component = "lookout-notifier" },
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            };
            try
            {
                await client.CoreV1.CreateNamespacedEventAsync(e, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException)
            {
                // Best effort: the log line and the metric already carry the problem.
            }
        }
    }

    private static async Task<T?> ReadOrNull<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
