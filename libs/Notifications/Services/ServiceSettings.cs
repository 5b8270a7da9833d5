using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Values.Time;

namespace Lookout.Notifications.Services;

/// <summary>Reads a service's settings with Go's case-insensitive JSON field matching and clear errors.</summary>
public static class ServiceSettings
{
    /// <summary>A string setting, or the default.</summary>
    public static string String(JsonObject settings, string name, string fallback = "") => Get(settings, name) switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v => v.ToJsonString(),
        _ => throw new FormatException($"setting '{name}' must be a string"),
    };

    /// <summary>A boolean setting.</summary>
    public static bool Bool(JsonObject settings, string name) => Get(settings, name) switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out bool b) => b,
        _ => throw new FormatException($"setting '{name}' must be true or false"),
    };

    /// <summary>An integer setting.</summary>
    public static int Int(JsonObject settings, string name, int fallback = 0) => Get(settings, name) switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out long n) && n is >= int.MinValue and <= int.MaxValue => (int)n,
        JsonValue v when v.TryGetValue(out int n) => n,
        JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) => (int)d,
        _ => throw new FormatException($"setting '{name}' must be an integer"),
    };

    /// <summary>A duration setting: a Go duration (<c>1s</c>, <c>500ms</c>) or nanoseconds as a number.</summary>
    public static TimeSpan Duration(JsonObject settings, string name, TimeSpan fallback)
    {
        JsonNode? node = Get(settings, name);
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.TryGetValue(out long nanoseconds))
        {
            return nanoseconds == 0 ? fallback : TimeSpan.FromTicks(nanoseconds / 100);
        }

        if (node is JsonValue s && s.TryGetValue(out string? text))
        {
            try
            {
                GoDuration d = GoDuration.Parse(text);
                return d.Nanoseconds == 0 ? fallback : TimeSpan.FromTicks(d.Nanoseconds / 100);
            }
            catch (Exception ex) when (ex is FormatException or Lookout.Values.GoFunctionException)
            {
                throw new FormatException($"setting '{name}' must be a duration such as 1s or 500ms", ex);
            }
        }

        throw new FormatException($"setting '{name}' must be a duration such as 1s or 500ms");
    }

    /// <summary>A list of strings.</summary>
    public static IReadOnlyList<string> Strings(JsonObject settings, string name) => Get(settings, name) switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : n?.ToJsonString() ?? string.Empty).ToList(),
        _ => throw new FormatException($"setting '{name}' must be a list"),
    };

    /// <summary>A setting as a node.</summary>
    public static JsonNode? Get(JsonObject settings, string name)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TryGetPropertyValue(name, out JsonNode? exact))
        {
            return exact;
        }

        return settings.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Parses a JSON text a template produced (Slack attachments, Teams facts), naming the field in the error.</summary>
    public static JsonNode? ParseJson(string text, string field)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new NotificationSendException($"failed to unmarshal {field}: {ex.Message}", retryable: false);
        }
    }
}
