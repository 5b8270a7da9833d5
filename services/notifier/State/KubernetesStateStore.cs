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
        (string group, string version, string plural) = owner.Kind switch
        {
            "Rollout" => ("argoproj.io", "v1alpha1", "rollouts"),
            _ => ("argoproj.io", "v1alpha1", "applications"),
        };
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

    private static string? ResourceVersionOf(object obj)
    {
        JsonElement element = JsonSerializer.SerializeToElement(obj);
        return element.TryGetProperty("metadata", out JsonElement m) && m.TryGetProperty("resourceVersion", out JsonElement rv) ? rv.GetString() : null;
    }

    private static long Number(string resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : long.MinValue;
}
