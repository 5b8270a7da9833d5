using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lookout.Watcher.Kubernetes;

/// <summary>A watched object with the identity fields the watcher needs, decoded once.</summary>
/// <param name="Uid"><c>metadata.uid</c>.</param>
/// <param name="Namespace"><c>metadata.namespace</c> (empty for a cluster-scoped object).</param>
/// <param name="Name"><c>metadata.name</c>.</param>
/// <param name="ResourceVersion"><c>metadata.resourceVersion</c>.</param>
/// <param name="Generation"><c>metadata.generation</c>, 0 when absent.</param>
/// <param name="Body">The whole object as observed.</param>
/// <param name="Fingerprint">A hash of the object without noise fields; equal fingerprints mean no real change.</param>
public sealed record ObservedObject(
    string Uid,
    string Namespace,
    string Name,
    string ResourceVersion,
    long Generation,
    JsonElement Body,
    string Fingerprint);

/// <summary>Why an object could not be decoded, with whatever name could be read from it.</summary>
public sealed record DecodeFailure(string Description, string Reason);

/// <summary>Turns a JSON object from the API into an <see cref="ObservedObject"/>, or a <see cref="DecodeFailure"/>.</summary>
public static class ObjectDecoder
{
    /// <summary>
    /// The deepest object the watcher decodes: the API server's own limit (Go's encoding/json refuses nesting deeper
    /// than 10,000), so any object the API server accepts is decoded; list and watch envelopes add a few levels.
    /// </summary>
    public const int MaxDepth = 10_000;

    /// <summary>Levels of sorted keys in the fingerprint; deeper levels are written as the server sent them (it sorts map keys).</summary>
    private const int SortedDepth = 64;

    /// <summary>
    /// Fields that change without anything a consumer cares about changing. <c>resourceVersion</c> changes on
    /// every write; <c>managedFields</c> records which manager wrote; <c>generation</c> only moves with spec
    /// (already fingerprinted); Argo CD bumps <c>status.reconciledAt</c> on every refresh and Argo Rollouts
    /// writes <c>status.observedAt</c>-style timestamps on every reconcile.
    /// </summary>
    private static readonly string[][] NoisePaths =
    [
        ["metadata", "resourceVersion"],
        ["metadata", "managedFields"],
        ["metadata", "generation"],
        ["status", "reconciledAt"],
        ["status", "observedAt"],
    ];

    /// <summary>Decodes one object of the given kind.</summary>
    public static bool TryDecode(string kind, JsonElement json, out ObservedObject? observed, out DecodeFailure? failure)
    {
        observed = null;
        failure = null;
        string description = Describe(kind, json);
        if (json.ValueKind != JsonValueKind.Object)
        {
            failure = new DecodeFailure(description, $"expected a JSON object, got {json.ValueKind}");
            return false;
        }

        if (!json.TryGetProperty("metadata", out JsonElement metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            failure = new DecodeFailure(description, "metadata is missing or not an object");
            return false;
        }

        if (!TryString(metadata, "name", required: true, out string? name, out string? error)
            || !TryString(metadata, "uid", required: true, out string? uid, out error)
            || !TryString(metadata, "namespace", required: false, out string? ns, out error)
            || !TryString(metadata, "resourceVersion", required: true, out string? resourceVersion, out error))
        {
            failure = new DecodeFailure(description, error!);
            return false;
        }

        long generation = 0;
        if (metadata.TryGetProperty("generation", out JsonElement gen) && gen.ValueKind != JsonValueKind.Null
            && !(gen.ValueKind == JsonValueKind.Number && gen.TryGetInt64(out generation)))
        {
            failure = new DecodeFailure(description, "metadata.generation is not an integer");
            return false;
        }

        foreach (string section in (string[])["spec", "status"])
        {
            if (json.TryGetProperty(section, out JsonElement value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                failure = new DecodeFailure(description, $"{section} is a {value.ValueKind}, expected an object");
                return false;
            }
        }

        foreach (string field in (string[])["labels", "annotations"])
        {
            if (metadata.TryGetProperty(field, out JsonElement value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                failure = new DecodeFailure(description, $"metadata.{field} is a {value.ValueKind}, expected an object");
                return false;
            }
        }

        string fingerprint;
        try
        {
            fingerprint = Fingerprint(json);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            failure = new DecodeFailure(description, $"nested deeper than {MaxDepth} levels");
            return false;
        }

        observed = new ObservedObject(uid!, ns ?? string.Empty, name!, resourceVersion!, generation, json.Clone(), fingerprint);
        return true;
    }

    /// <summary>Reads <c>metadata.resourceVersion</c> if it is a string (bookmarks, undecodable objects).</summary>
    public static string? ReadResourceVersion(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("resourceVersion", out JsonElement rv) && rv.ValueKind == JsonValueKind.String
            ? rv.GetString()
            : null;

    /// <summary>The object in words for logs, from whatever can be read: <c>Application argocd/guestbook</c>.</summary>
    public static string Describe(string kind, JsonElement json)
    {
        string ns = "?";
        string name = "?";
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("metadata", out JsonElement metadata)
            && metadata.ValueKind == JsonValueKind.Object)
        {
            if (metadata.TryGetProperty("namespace", out JsonElement n))
            {
                ns = n.ValueKind == JsonValueKind.String ? n.GetString()! : n.GetRawText();
            }

            if (metadata.TryGetProperty("name", out JsonElement m))
            {
                name = m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText();
            }
        }

        return $"{kind} {ns}/{name}";
    }

    /// <summary>SHA-256 over the object written with sorted keys and without the noise fields.</summary>
    public static string Fingerprint(JsonElement json)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth }))
        {
            WriteNormalized(writer, json, depth: 0, path: []);
        }

        // The refresh timestamps are noise, except the one change a notifier waits for: Argo CD's notifications skip an
        // Application whose last operation finished after its latest refresh, so the refresh that catches up with the
        // operation must reach them. Whether the object is out of date is part of what it is.
        buffer.Write(OperationOutOfDate(json) ? "|operation-out-of-date"u8 : "|refreshed"u8);
        return Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>
    /// Argo CD's test in its notification controller: <c>status.operationState.finishedAt</c> is later than both
    /// <c>status.reconciledAt</c> and <c>status.observedAt</c> (a missing time is the earliest).
    /// </summary>
    public static bool OperationOutOfDate(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("status", out JsonElement status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("operationState", out JsonElement operation) || operation.ValueKind != JsonValueKind.Object
            || ReadTime(operation, "finishedAt") is not { } finishedAt)
        {
            return false;
        }

        DateTimeOffset reconciledAt = ReadTime(status, "reconciledAt") ?? DateTimeOffset.MinValue;
        DateTimeOffset observedAt = ReadTime(status, "observedAt") ?? DateTimeOffset.MinValue;
        return finishedAt > reconciledAt && finishedAt > observedAt;
    }

    private static DateTimeOffset? ReadTime(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? time
            : null;

    private static void WriteNormalized(Utf8JsonWriter writer, JsonElement element, int depth, string[] path)
    {
        if (element.ValueKind != JsonValueKind.Object || depth >= SortedDepth)
        {
            // WriteTo does not recurse on the call stack, so deep objects cannot exhaust it.
            element.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        var properties = element.EnumerateObject().ToList();
        properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (JsonProperty property in properties)
        {
            if (depth < 2 && IsNoise(path, property.Name))
            {
                continue;
            }

            writer.WritePropertyName(property.Name);
            WriteNormalized(writer, property.Value, depth + 1, depth < 2 ? [.. path, property.Name] : path);
        }

        writer.WriteEndObject();
    }

    private static bool IsNoise(string[] path, string name)
    {
        foreach (string[] noise in NoisePaths)
        {
            if (noise.Length == path.Length + 1 && noise[^1] == name && noise.AsSpan(0, path.Length).SequenceEqual(path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryString(JsonElement metadata, string field, bool required, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!metadata.TryGetProperty(field, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = $"metadata.{field} is missing";
                return false;
            }

            return true;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(element.GetString()))
        {
            error = $"metadata.{field} is a {element.ValueKind}, expected a non-empty string";
            return false;
        }

        value = element.GetString();
        return true;
    }
}
