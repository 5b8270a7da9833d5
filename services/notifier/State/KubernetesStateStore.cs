using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lookout.Notifications.State;

namespace Lookout.Notifier.State;

/// <summary>
/// The notified state in the object's <c>notified.notifications.argoproj.io</c> annotation, exactly as Argo CD's
/// controller writes it, so a team can move between the two. Written with a merge patch that carries the
/// resourceVersion the state was computed on (optimistic concurrency: a conflict re-reads the object and merges).
/// The last write per object is remembered, so an event older than it is evaluated against it (no repeat) and the
/// write's own echo is not evaluated again.
/// </summary>
public sealed class KubernetesStateStore(IKubernetes client) : INotifiedStateStore
{
    private const int MaxConflictRetries = 5;
    private readonly ConcurrentDictionary<string, (long ResourceVersion, string? State)> lastWrites = new(StringComparer.Ordinal);

    // Objects whose annotation this process has read from the API (see LoadAsync).
    private readonly ConcurrentDictionary<string, byte> readFromApi = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public NotifiedState Load(StateOwner owner, string? annotationInEvent, string resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (lastWrites.TryGetValue(owner.Uid, out var written) && Number(resourceVersion) <= written.ResourceVersion)
        {
            return NotifiedState.Parse(written.State);
        }

        return NotifiedState.Parse(annotationInEvent);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The first time this process meets an object (no write of ours remembered, not read before) the object is read
    /// from the API, and its annotation is used when it is the same object (same uid): it is at least as new as any
    /// event's. A failed read falls back to the event's annotation and is tried again on the next event.
    /// </remarks>
    public async Task<NotifiedState> LoadAsync(StateOwner owner, string? annotationInEvent, string resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (lastWrites.ContainsKey(owner.Uid) || readFromApi.ContainsKey(owner.Uid))
        {
            return Load(owner, annotationInEvent, resourceVersion);
        }

        (string group, string version, string plural) = Resource(owner.Kind);
        try
        {
            object current = await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, owner.Namespace, plural, owner.Name, cancellationToken).ConfigureAwait(false);
            JsonElement element = JsonSerializer.SerializeToElement(current);
            readFromApi[owner.Uid] = 0;
            if (element.TryGetProperty("metadata", out JsonElement metadata)
                && metadata.TryGetProperty("uid", out JsonElement uid) && uid.GetString() == owner.Uid)
            {
                string? stored = metadata.TryGetProperty("annotations", out JsonElement annotations)
                    && annotations.TryGetProperty(NotifiedState.AnnotationKey, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return NotifiedState.Parse(stored);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            readFromApi[owner.Uid] = 0;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException)
        {
        }

        return Load(owner, annotationInEvent, resourceVersion);
    }

    /// <inheritdoc/>
    public bool IsOwnWrite(StateOwner owner, string resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return lastWrites.TryGetValue(owner.Uid, out var written) && written.ResourceVersion == Number(resourceVersion);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(StateOwner owner, NotifiedState state, string resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(state);
        (string group, string version, string plural) = Resource(owner.Kind);
        string expected = resourceVersion;
        for (int attempt = 0; ; attempt++)
        {
            string? value = state.Serialize();
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = expected,
                    ["annotations"] = new JsonObject { [NotifiedState.AnnotationKey] = value },
                },
            };
            try
            {
                object result = await client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), group, version, owner.Namespace, plural, owner.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                string written = ResourceVersionOf(result) ?? expected;
                lastWrites[owner.Uid] = (Number(written), value);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxConflictRetries)
            {
                // Someone changed the object meanwhile: keep what they recorded and add ours (a union never repeats).
                object current = await client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, owner.Namespace, plural, owner.Name, cancellationToken).ConfigureAwait(false);
                JsonElement element = JsonSerializer.SerializeToElement(current);
                expected = ResourceVersionOf(current) ?? expected;
                if (element.TryGetProperty("metadata", out JsonElement metadata) && metadata.TryGetProperty("annotations", out JsonElement annotations)
                    && annotations.TryGetProperty(NotifiedState.AnnotationKey, out JsonElement theirs) && theirs.ValueKind == JsonValueKind.String)
                {
                    NotifiedState merged = NotifiedState.Parse(theirs.GetString());
                    foreach ((string key, long at) in state.Entries)
                    {
                        merged.Set(key, at);
                    }

                    state = merged;
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }
        }
    }

    private static (string Group, string Version, string Plural) Resource(string kind) => kind switch
    {
        "Rollout" => ("argoproj.io", "v1alpha1", "rollouts"),
        _ => ("argoproj.io", "v1alpha1", "applications"),
    };

    private static string? ResourceVersionOf(object obj)
    {
        JsonElement element = JsonSerializer.SerializeToElement(obj);
        return element.TryGetProperty("metadata", out JsonElement m) && m.TryGetProperty("resourceVersion", out JsonElement rv) ? rv.GetString() : null;
    }

    private static long Number(string resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : long.MinValue;
}
