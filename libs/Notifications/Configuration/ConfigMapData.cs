using System.Text;
using System.Text.Json.Nodes;
using Lookout.Values.Yaml;

namespace Lookout.Notifications.Configuration;

/// <summary>The data of a ConfigMap and of a Secret, as the configuration reads them.</summary>
/// <param name="Name">The ConfigMap's name, for messages.</param>
/// <param name="Namespace">The ConfigMap's namespace.</param>
/// <param name="Data">The ConfigMap's <c>data</c>.</param>
/// <param name="Secrets">The Secret's data, decoded (never logged).</param>
public sealed record ConfigMapData(string Name, string Namespace, IReadOnlyDictionary<string, string> Data, IReadOnlyDictionary<string, string> Secrets)
{
    /// <summary>No ConfigMap: only the built-in catalog applies.</summary>
    public static ConfigMapData Empty(string name = "argocd-notifications-cm", string ns = "") =>
        new(name, ns, new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// Reads a ConfigMap and an optional Secret from YAML manifests (one file may hold both, as <c>kubectl apply</c>
    /// files do). The Secret's <c>data</c> is base64; its <c>stringData</c> is plain text and wins.
    /// </summary>
    /// <exception cref="FormatException">The YAML is invalid or holds no ConfigMap.</exception>
    public static ConfigMapData FromYaml(string configYaml, string configSource, string? secretYaml = null, string? secretSource = null, string? configMapName = null)
    {
        IReadOnlyList<JsonNode> documents = YamlDocuments.Parse(configYaml, configSource);
        JsonObject? configMap = documents.OfType<JsonObject>().FirstOrDefault(d => (string?)d["kind"] == "ConfigMap" && (configMapName is null || (string?)d["metadata"]?["name"] == configMapName))
            ?? documents.OfType<JsonObject>().FirstOrDefault(d => (string?)d["kind"] == "ConfigMap")
            ?? throw new FormatException($"{configSource}: no ConfigMap in the file");
        IEnumerable<JsonNode> secretDocuments = secretYaml is null ? documents : YamlDocuments.Parse(secretYaml, secretSource ?? "secret");
        JsonObject? secret = secretDocuments.OfType<JsonObject>().FirstOrDefault(d => (string?)d["kind"] == "Secret");
        return new ConfigMapData(
            (string?)configMap["metadata"]?["name"] ?? "argocd-notifications-cm",
            (string?)configMap["metadata"]?["namespace"] ?? string.Empty,
            StringMap(configMap["data"] as JsonObject),
            secret is null ? new Dictionary<string, string>(StringComparer.Ordinal) : SecretData(secret));
    }

    /// <summary>The decoded data of a Secret manifest.</summary>
    public static Dictionary<string, string> SecretData(JsonObject secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string encoded) in StringMap(secret["data"] as JsonObject))
        {
            try
            {
                values[key] = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                // A value that is not base64 is not readable by Kubernetes either; leave it out rather than echo it.
            }
        }

        foreach ((string key, string value) in StringMap(secret["stringData"] as JsonObject))
        {
            values[key] = value;
        }

        return values;
    }

    private static Dictionary<string, string> StringMap(JsonObject? obj)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, JsonNode? value) in obj ?? [])
        {
            map[key] = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? string.Empty;
        }

        return map;
    }
}
