using System.Globalization;
using System.Text.Json;
using Lookout.Contracts;

namespace Lookout.Watcher.Kubernetes;

/// <summary>One occurrence of a core/v1 Event, decoded once: what the watcher needs to publish it once.</summary>
/// <param name="Uid"><c>metadata.uid</c>.</param>
/// <param name="Namespace"><c>metadata.namespace</c>.</param>
/// <param name="Name"><c>metadata.name</c>.</param>
/// <param name="ResourceVersion"><c>metadata.resourceVersion</c>.</param>
/// <param name="Count"><c>count</c>, else <c>series.count</c>, else 1: the occurrence.</param>
/// <param name="Reason"><c>reason</c>.</param>
/// <param name="Message"><c>message</c>.</param>
/// <param name="Type"><c>type</c>.</param>
/// <param name="Involved"><c>involvedObject</c>.</param>
/// <param name="FirstTimestamp"><c>firstTimestamp</c> or <c>eventTime</c>.</param>
/// <param name="LastTimestamp"><c>lastTimestamp</c>, <c>series.lastObservedTime</c> or <c>eventTime</c>.</param>
/// <param name="Component"><c>source.component</c> or <c>reportingComponent</c>.</param>
public sealed record RecordedEvent(
    string Uid,
    string Namespace,
    string Name,
    string ResourceVersion,
    int Count,
    string Reason,
    string? Message,
    string? Type,
    EventInvolvedObject Involved,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    string? Component)
{
    /// <summary>The kinds whose Events the watcher publishes.</summary>
    public static IReadOnlyList<string> InvolvedKinds { get; } = ["Rollout", "AnalysisRun"];

    /// <summary>Decodes an Event; false (with the reason) when it lacks what an occurrence needs.</summary>
    public static bool TryDecode(JsonElement json, out RecordedEvent? recorded, out string? problem)
    {
        recorded = null;
        problem = null;
        if (json.ValueKind != JsonValueKind.Object || Get(json, "metadata") is not { ValueKind: JsonValueKind.Object } metadata)
        {
            problem = "not an object with metadata";
            return false;
        }

        string? uid = Str(metadata, "uid");
        string? name = Str(metadata, "name");
        string? rv = Str(metadata, "resourceVersion");
        if (uid is null || name is null || rv is null)
        {
            problem = "metadata.uid, name or resourceVersion is missing";
            return false;
        }

        if (Get(json, "involvedObject") is not { ValueKind: JsonValueKind.Object } involved || Str(involved, "kind") is not { } kind || Str(involved, "name") is not { } involvedName)
        {
            problem = "involvedObject.kind or name is missing";
            return false;
        }

        string ns = Str(metadata, "namespace") ?? string.Empty;
        int count = Int(json, "count") ?? (Get(json, "series") is { ValueKind: JsonValueKind.Object } series ? Int(series, "count") : null) ?? 1;
        DateTimeOffset? eventTime = Time(json, "eventTime");
        DateTimeOffset? seriesLast = Get(json, "series") is { ValueKind: JsonValueKind.Object } s2 ? Time(s2, "lastObservedTime") : null;
        recorded = new RecordedEvent(
            uid,
            ns,
            name,
            rv,
            Math.Max(count, 1),
            Str(json, "reason") ?? string.Empty,
            Str(json, "message"),
            Str(json, "type"),
            new EventInvolvedObject(kind, Str(involved, "apiVersion"), Str(involved, "namespace") ?? ns, involvedName, Str(involved, "uid")),
            Time(json, "firstTimestamp") ?? eventTime,
            Time(json, "lastTimestamp") ?? seriesLast ?? eventTime,
            (Get(json, "source") is { ValueKind: JsonValueKind.Object } source ? Str(source, "component") : null) ?? Str(json, "reportingComponent"));
        return true;
    }

    /// <summary>A description for logs, such as <c>Event argo/guestbook.17a (RolloutCompleted on Rollout guestbook)</c>.</summary>
    public override string ToString() => $"Event {Namespace}/{Name} ({Reason} on {Involved.Kind} {Involved.Name}, count {Count})";

    private static JsonElement? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : null;

    private static string? Str(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        Get(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out int n) ? n : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Str(element, name) is { Length: > 0 } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t) ? t : null;
}
