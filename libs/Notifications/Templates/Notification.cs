using System.Text.Json.Nodes;

namespace Lookout.Notifications.Templates;

/// <summary>
/// A rendered notification: the <c>message</c> and one section per service type (<c>slack</c>, <c>email</c>,
/// <c>teams</c>, <c>teams-workflows</c>, <c>webhook</c>…) with the fields that type reads, as notifications-engine's
/// <c>services.Notification</c>. Sections are JSON so that a new service type needs no change here.
/// </summary>
public sealed class Notification
{
    /// <summary>The plain message (the fallback text of every service).</summary>
    public string Message { get; set; } = string.Empty;

    /// <summary>The sections by service type.</summary>
    public JsonObject Sections { get; init; } = [];

    /// <summary>The section of a service type, or null.</summary>
    public JsonObject? Section(string serviceType) => Sections[serviceType] as JsonObject;

    /// <summary>A string field of a section, or empty.</summary>
    public string Field(string serviceType, string field) =>
        Section(serviceType)?[field] is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty;

    /// <summary>A boolean field of a section (YAML <c>true</c> or the string <c>"true"</c>).</summary>
    public bool Flag(string serviceType, string field) => Section(serviceType)?[field] switch
    {
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary><c>{"message": …, "&lt;type&gt;": {…}}</c>, the shape of the bus message and of <c>notifier replay</c>.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["message"] = Message };
        foreach ((string key, JsonNode? value) in Sections)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>Reads <see cref="ToJson"/>'s shape back.</summary>
    public static Notification FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var notification = new Notification { Message = json["message"] is JsonValue m && m.TryGetValue(out string? s) ? s : string.Empty };
        foreach ((string key, JsonNode? value) in json)
        {
            if (key != "message" && value is not null)
            {
                notification.Sections[key] = value.DeepClone();
            }
        }

        return notification;
    }
}
