using System.Text.Json.Nodes;

namespace Lookout.Testing.Kubernetes;

/// <summary>RFC 7386 JSON merge patch.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        JsonObject result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                JsonNode? existing = result[key];
                result[key] = Apply(existing?.DeepClone(), value);
            }
        }

        return result;
    }
}

/// <summary>The add, replace and remove operations of RFC 6902 JSON patch (what rollout promote/abort use).</summary>
internal static class JsonPatch
{
    public static void Apply(JsonObject target, JsonArray operations)
    {
        foreach (JsonNode? operation in operations)
        {
            string op = (string?)operation?["op"] ?? throw new ArgumentException("patch operation without op");
            string path = (string?)operation!["path"] ?? throw new ArgumentException("patch operation without path");
            string[] segments = path.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            JsonNode parent = target;
            foreach (string segment in segments[..^1])
            {
                parent = parent is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment] ??= new JsonObject();
            }

            string last = segments[^1];
            switch (op)
            {
                case "add" or "replace" when parent is JsonObject o:
                    o[last] = operation["value"]?.DeepClone();
                    break;
                case "add" when parent is JsonArray a:
                    a.Insert(last == "-" ? a.Count : int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), operation["value"]?.DeepClone());
                    break;
                case "replace" when parent is JsonArray a:
                    a[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = operation["value"]?.DeepClone();
                    break;
                case "remove" when parent is JsonObject o:
                    o.Remove(last);
                    break;
                case "remove" when parent is JsonArray a:
                    a.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"unsupported JSON patch operation {op} at {path}");
            }
        }
    }
}
