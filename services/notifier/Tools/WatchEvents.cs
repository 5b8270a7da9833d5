using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Values.Yaml;

namespace Lookout.Notifier.Tools;

/// <summary>A Kubernetes watch event: <c>{"type": "ADDED"|"MODIFIED"|"DELETED", "object": {...}}</c>.</summary>
/// <param name="Type">The event type.</param>
/// <param name="Object">The object.</param>
public sealed record WatchEvent(string Type, JsonObject Object);

/// <summary>
/// Reads watch events as <c>kubectl get -w --output-watch-events -o json</c> prints them: JSON values one after
/// another (pretty-printed or one per line), or YAML documents.
/// </summary>
public static class WatchEvents
{
    /// <summary>Reads every event of a text.</summary>
    /// <exception cref="FormatException">The text is neither; the message names the event's position.</exception>
    public static IReadOnlyList<WatchEvent> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nodes = new List<JsonNode>();
        if (text.TrimStart().StartsWith('{'))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
            try
            {
                while (reader.Read())
                {
                    nodes.Add(JsonNode.Parse(ref reader) ?? throw new FormatException($"{source}: null event"));
                }
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{source}: event {nodes.Count + 1}: invalid JSON: {ex.Message}", ex);
            }
        }
        else
        {
            nodes.AddRange(YamlDocuments.Parse(text, source));
        }

        var events = new List<WatchEvent>();
        foreach (JsonNode node in nodes)
        {
            if (node is not JsonObject e || e["object"] is not JsonObject obj)
            {
                throw new FormatException($"{source}: event {events.Count + 1}: expected {{\"type\", \"object\"}}");
            }

            events.Add(new WatchEvent((string?)e["type"] ?? "MODIFIED", obj));
        }

        return events;
    }
}
