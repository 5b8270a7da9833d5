using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Lookout.Watcher.Kubernetes;

/// <summary>Lists and watches custom objects (and core Events) through KubernetesClient (the client is used unmodified).</summary>
public sealed class KubernetesWatchSource : IWatchSource, IObjectReader
{
    private readonly IKubernetes client;
    private readonly WatcherOptions options;

    // KubernetesClient reads with System.Text.Json's default depth limit (64), so one deep object would fail a whole
    // list or watch. Lists and lines are read as JsonElement up to the API server's own limit plus the envelopes, and
    // ObjectDecoder then decodes each item alone. Watch lines are read with the process-wide options (set here, before
    // any source exists); lists with the options a client's configuration had when it was created (CreateClient).
    private static readonly int JsonDepth = ObjectDecoder.MaxDepth + 8;

    static KubernetesWatchSource() => KubernetesJson.AddJsonOptions(o => o.MaxDepth = Math.Max(o.MaxDepth, JsonDepth));

    /// <summary>
    /// Creates the client the source reads through, able to list objects as deep as the API server accepts (a client
    /// made with <c>new Kubernetes(config)</c> fails the whole list on one object deeper than 64 levels).
    /// </summary>
    public static k8s.Kubernetes CreateClient(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddJsonOptions(o => o.MaxDepth = Math.Max(o.MaxDepth, JsonDepth));
        return new k8s.Kubernetes(configuration);
    }

    /// <summary>Creates the source on a client.</summary>
    public KubernetesWatchSource(IKubernetes client, WatcherOptions options)
    {
        this.client = client;
        this.options = options;
    }

    /// <inheritdoc/>
    public async Task<ObjectList> ListAsync(WatchScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            JsonElement body;
            if (scope.Kind.IsCore)
            {
                using HttpOperationResponse<k8s.Models.Corev1EventList> events = await RequestEvents(scope, watch: false, resourceVersion: null, cancellationToken).ConfigureAwait(false);
                using JsonDocument document = JsonDocument.Parse(KubernetesJson.Serialize(events.Body));
                body = document.RootElement.Clone();
            }
            else
            {
                using HttpOperationResponse<object> response = await Request(scope, watch: false, resourceVersion: null, cancellationToken).ConfigureAwait(false);
                body = response.Body is JsonElement element ? element : JsonSerializer.SerializeToElement(response.Body);
            }

            string rv = body.TryGetProperty("metadata", out JsonElement metadata) && metadata.TryGetProperty("resourceVersion", out JsonElement v)
                ? v.GetString() ?? string.Empty
                : string.Empty;
            var items = body.TryGetProperty("items", out JsonElement array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select(i => i.Clone()).ToList()
                : [];
            return new ObjectList(rv, items);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceExpiredException(ex.Message, ex);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        WatchScope scope, string resourceVersion, Action opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(opened);
        Exception? streamError = null;
        IAsyncEnumerable<(k8s.WatchEventType, JsonElement)> stream;
        try
        {
            // Completes with the response headers: from here the server streams events.
#pragma warning disable CS0618 // The generic-object watch over ListClusterCustomObject is what 21.x offers for custom resources.
            stream = scope.Kind.IsCore
                ? Task.FromResult(await RequestEvents(scope, watch: true, resourceVersion, cancellationToken).ConfigureAwait(false))
                    .WatchAsync<JsonElement, k8s.Models.Corev1EventList>(ex => streamError ??= ex, cancellationToken)
                : Task.FromResult(await Request(scope, watch: true, resourceVersion, cancellationToken).ConfigureAwait(false))
                    .WatchAsync<JsonElement, object>(ex => streamError ??= ex, cancellationToken);
#pragma warning restore CS0618
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceExpiredException(ex.Message, ex);
        }

        opened();
        IAsyncEnumerator<(k8s.WatchEventType, JsonElement)> enumerator = stream.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
                {
                    throw new ResourceExpiredException(ex.Message, ex);
                }

                if (!more)
                {
                    break;
                }

                (k8s.WatchEventType type, JsonElement item) = enumerator.Current;
                WatchEventType? mapped = type switch
                {
                    k8s.WatchEventType.Added => WatchEventType.Added,
                    k8s.WatchEventType.Modified => WatchEventType.Modified,
                    k8s.WatchEventType.Deleted => WatchEventType.Deleted,
                    k8s.WatchEventType.Bookmark => WatchEventType.Bookmark,
                    _ => null,
                };
                if (mapped is { } t)
                {
                    yield return new WatchEvent(t, item.Clone());
                }

                if (streamError is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        switch (streamError)
        {
            case null:
                break;
            case KubernetesException { Status.Code: 410 } gone:
                throw new ResourceExpiredException(gone.Status.Message ?? gone.Message, gone);
            default:
                throw new InvalidOperationException($"watch of {scope} failed: {streamError.Message}", streamError);
        }
    }

    /// <inheritdoc/>
    public async Task<JsonElement?> GetAsync(WatchedKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        try
        {
            using HttpOperationResponse<object> response = await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync(
                kind.Group, kind.Version, @namespace, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Body is JsonElement element ? element.Clone() : JsonSerializer.SerializeToElement(response.Body);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JsonElement>> ListAsync(WatchedKind kind, string @namespace, string labelSelector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ObjectList list = await ListAsync(new WatchScope(kind, @namespace, labelSelector), cancellationToken).ConfigureAwait(false);
        return list.Items;
    }

    private Task<HttpOperationResponse<k8s.Models.Corev1EventList>> RequestEvents(WatchScope scope, bool watch, string? resourceVersion, CancellationToken cancellationToken)
    {
        int? timeoutSeconds = watch ? (int)options.WatchTimeout.TotalSeconds : null;
        return scope.Namespace is null
            ? client.CoreV1.ListEventForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: watch ? true : null,
                fieldSelector: scope.FieldSelector,
                labelSelector: null,
                resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds,
                watch: watch ? true : null,
                cancellationToken: cancellationToken)
            : client.CoreV1.ListNamespacedEventWithHttpMessagesAsync(
                scope.Namespace,
                allowWatchBookmarks: watch ? true : null,
                fieldSelector: scope.FieldSelector,
                labelSelector: null,
                resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds,
                watch: watch ? true : null,
                cancellationToken: cancellationToken);
    }

    private Task<HttpOperationResponse<object>> Request(WatchScope scope, bool watch, string? resourceVersion, CancellationToken cancellationToken)
    {
        WatchedKind kind = scope.Kind;
        int? timeoutSeconds = watch ? (int)options.WatchTimeout.TotalSeconds : null;
        return scope.Namespace is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                kind.Group,
                kind.Version,
                kind.Plural,
                allowWatchBookmarks: watch ? true : null,
                labelSelector: scope.LabelSelector,
                resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds,
                watch: watch ? true : null,
                cancellationToken: cancellationToken)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                kind.Group,
                kind.Version,
                scope.Namespace,
                kind.Plural,
                allowWatchBookmarks: watch ? true : null,
                labelSelector: scope.LabelSelector,
                resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds,
                watch: watch ? true : null,
                cancellationToken: cancellationToken);
    }
}
