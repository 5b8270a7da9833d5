using System.Text.Json;
using Lookout.Contracts;
using Lookout.Watcher.Publishing;

namespace Lookout.Watcher.Kubernetes;

/// <summary>Builds the contract messages for observed objects.</summary>
public sealed class EventFactory(string cluster, TimeProvider timeProvider)
{
    /// <summary>An <c>ApplicationChanged</c> or <c>RolloutChanged</c> for one observed version.</summary>
    public OutgoingEvent Changed(WatchedKind kind, ObservedObject o, bool isResync)
    {
        var identity = new ObjectIdentity(cluster, o.Namespace, o.Name, o.Uid);
        DateTimeOffset now = timeProvider.GetUtcNow();
        object message = kind.Kind switch
        {
            "Application" => new ApplicationChanged
            {
                Object = identity,
                ResourceVersion = o.ResourceVersion,
                Generation = o.Generation,
                ObservedAt = now,
                IsResync = isResync,
                Body = o.Body,
                Summary = SummarizeApplication(o.Body),
            },
            "Rollout" => new RolloutChanged
            {
                Object = identity,
                ResourceVersion = o.ResourceVersion,
                Generation = o.Generation,
                ObservedAt = now,
                IsResync = isResync,
                Body = o.Body,
                Summary = SummarizeRollout(o.Body),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind.Kind, "not a watched kind"),
        };
        return new OutgoingEvent(MessageIds.ForObjectVersion(kind.Kind, o.Uid, o.ResourceVersion), message, ObjectKey(kind, o.Uid), $"{kind.Kind} {o.Namespace}/{o.Name}");
    }

    /// <summary>An <c>ObjectDeleted</c>; without a body when <paramref name="last"/> carries none.</summary>
    public OutgoingEvent Deleted(WatchedKind kind, ObservedObject last, string resourceVersion)
    {
        var message = new ObjectDeleted
        {
            Kind = kind.Kind,
            Object = new ObjectIdentity(cluster, last.Namespace, last.Name, last.Uid),
            ResourceVersion = resourceVersion,
            ObservedAt = timeProvider.GetUtcNow(),
            // Unknown for an object that vanished while nobody watched: only its identity was kept.
            LastKnownBody = last.Body.ValueKind == JsonValueKind.Undefined ? null : last.Body,
        };
        return new OutgoingEvent(
            MessageIds.ForObjectVersion(kind.Kind + "Deleted", last.Uid, resourceVersion), message, ObjectKey(kind, last.Uid), $"{kind.Kind} {last.Namespace}/{last.Name}");
    }

    /// <summary>The publish lane key of an object: its kind and uid (a uid is unique per object and never reused).</summary>
    public static string ObjectKey(WatchedKind kind, string uid)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return $"{kind.Kind}/{uid}";
    }

    /// <summary>The summary of an Application's status.</summary>
    public static ApplicationSummary SummarizeApplication(JsonElement body)
    {
        string? revision = Str(body, "status", "sync", "revision");
        if (revision is null && Get(body, "status", "sync", "revisions") is { ValueKind: JsonValueKind.Array } revisions
            && revisions.GetArrayLength() > 0 && revisions[0].ValueKind == JsonValueKind.String)
        {
            revision = revisions[0].GetString();
        }

        return new ApplicationSummary(
            Str(body, "status", "sync", "status"),
            Str(body, "status", "health", "status"),
            Str(body, "status", "operationState", "phase"),
            revision,
            Get(body, "metadata", "deletionTimestamp") is { ValueKind: JsonValueKind.String });
    }

    /// <summary>The summary of a Rollout's status.</summary>
    public static RolloutSummary SummarizeRollout(JsonElement body)
    {
        var reasons = new List<string>();
        if (Get(body, "status", "pauseConditions") is { ValueKind: JsonValueKind.Array } conditions)
        {
            foreach (JsonElement condition in conditions.EnumerateArray())
            {
                if (Str(condition, "reason") is { } reason)
                {
                    reasons.Add(reason);
                }
            }
        }

        int? step = Get(body, "status", "currentStepIndex") is { ValueKind: JsonValueKind.Number } s && s.TryGetInt32(out int index) ? index : null;
        return new RolloutSummary(
            Str(body, "status", "phase"),
            Str(body, "metadata", "annotations", "rollout.argoproj.io/revision"),
            Str(body, "status", "currentPodHash"),
            Str(body, "status", "stableRS"),
            step,
            reasons,
            Get(body, "status", "abort") is { ValueKind: JsonValueKind.True },
            Str(body, "status", "message"));
    }

    private static JsonElement? Get(JsonElement element, params string[] path)
    {
        foreach (string segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }

        return element;
    }

    private static string? Str(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
