using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lookout.Watcher.State;

/// <summary>
/// Keeps the state in a ConfigMap beside the leader-election Lease (<c>{LeaseName}-state</c>): every replica can read
/// it, it survives pods and nodes, and it needs no volume. It is a separate object because KubernetesClient's
/// LeaseLock replaces the whole Lease from its own copy on every renewal: anything else written on the Lease would
/// make renewals conflict.
/// </summary>
public sealed class ConfigMapPublishedStateStore(IKubernetes client, string ns, string name) : IPublishedStateStore
{
    private const string Key = "published.json.gz";

    /// <inheritdoc/>
    public string Description => $"ConfigMap {ns}/{name}";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PublishedObject>> LoadAsync(CancellationToken cancellationToken)
    {
        V1ConfigMap? map = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return map?.BinaryData?.TryGetValue(Key, out byte[]? data) == true ? PublishedStateFormat.Read(data) : [];
    }

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<PublishedObject> objects, CancellationToken cancellationToken)
    {
        byte[] data = PublishedStateFormat.Write(objects);
        V1ConfigMap? existing = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var created = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = ns,
                    Labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = "watcher", ["app.kubernetes.io/part-of"] = "lookout" },
                },
                BinaryData = new Dictionary<string, byte[]> { [Key] = data },
            };
            await client.CoreV1.CreateNamespacedConfigMapAsync(created, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        // The resourceVersion read above makes the replace conditional: a concurrent writer's save is not overwritten.
        existing.BinaryData = new Dictionary<string, byte[]> { [Key] = data };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(existing, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<V1ConfigMap?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
