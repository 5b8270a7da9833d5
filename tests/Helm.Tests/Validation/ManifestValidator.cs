using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Lookout.Helm.Tests.Rendering;

namespace Lookout.Helm.Tests.Validation;

/// <summary>
/// Checks a rendered object as the API server would decode it: built-in kinds strictly into KubernetesClient's
/// models (an unknown or misspelt field, or a value of the wrong type, fails; a field the model drops on the way back
/// fails too), custom resources against a schema of their own under Validation/Schemas.
/// </summary>
internal static class ManifestValidator
{
    private static readonly Dictionary<(string ApiVersion, string Kind), Type> Models = typeof(V1Deployment).Assembly.GetTypes()
        .Where(t => t.Namespace == "k8s.Models" && t.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()!))
        .GroupBy(x => (ApiVersion: string.IsNullOrEmpty(x.Entity.Group) ? x.Entity.ApiVersion : $"{x.Entity.Group}/{x.Entity.ApiVersion}", x.Entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().Type);

    private static readonly Dictionary<(string ApiVersion, string Kind), string> CustomResources = new()
    {
        [("monitoring.coreos.com/v1", "ServiceMonitor")] = "servicemonitor.schema.json",
        [("monitoring.coreos.com/v1", "PrometheusRule")] = "prometheusrule.schema.json",
        [("rabbitmq.com/v1beta1", "RabbitmqCluster")] = "rabbitmqcluster.schema.json",
    };

    private static readonly JsonSerializerOptions Strict = CreateStrictOptions();

    private static JsonSerializerOptions CreateStrictOptions()
    {
        JsonSerializerOptions? shared = null;
        KubernetesJson.AddJsonOptions(o => shared = o);
        return new JsonSerializerOptions(shared ?? throw new InvalidOperationException("KubernetesJson did not hand out its options"))
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
    }

    /// <summary>The problems found; empty when the object is valid.</summary>
    public static IReadOnlyList<string> Validate(RenderedManifest manifest)
    {
        if (CustomResources.TryGetValue((manifest.ApiVersion, manifest.Kind), out string? schemaFile))
        {
            string schema = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Validation", "Schemas", schemaFile));
            return [.. ValuesSchema.Validate(schema, manifest.Object).Select(e => $"{manifest}: {e}")];
        }

        if (!Models.TryGetValue((manifest.ApiVersion, manifest.Kind), out Type? type))
        {
            return [$"{manifest}: no model or schema for {manifest.ApiVersion} {manifest.Kind}"];
        }

        object? model;
        try
        {
            model = JsonSerializer.Deserialize(manifest.Object.ToJsonString(), type, Strict);
        }
        catch (JsonException ex)
        {
            return [$"{manifest}: {ex.Message}"];
        }

        JsonNode? back = JsonSerializer.SerializeToNode(model, type, Strict);
        var problems = new List<string>();
        Compare(manifest.Object, back, "$", problems);
        return [.. problems.Select(p => $"{manifest}: {p}")];
    }

    /// <summary>Deserializes strictly into the model (for tests that read fields).</summary>
    public static T As<T>(RenderedManifest manifest) =>
        JsonSerializer.Deserialize<T>(manifest.Object.ToJsonString(), Strict) ?? throw new InvalidOperationException($"{manifest}: null");

    // Every value the chart wrote must come back from the model unchanged; numbers compare by value, quantities by text.
    private static void Compare(JsonNode? rendered, JsonNode? back, string path, List<string> problems)
    {
        switch (rendered)
        {
            case null:
                return;
            case JsonObject obj:
                if (back is not JsonObject backObj)
                {
                    problems.Add($"{path}: the model dropped or changed this object");
                    return;
                }

                foreach ((string key, JsonNode? value) in obj)
                {
                    Compare(value, backObj[key], $"{path}.{key}", problems);
                }

                return;
            case JsonArray array:
                if (back is not JsonArray backArray || backArray.Count != array.Count)
                {
                    problems.Add($"{path}: the model dropped or changed this list");
                    return;
                }

                for (int i = 0; i < array.Count; i++)
                {
                    Compare(array[i], backArray[i], $"{path}[{i}]", problems);
                }

                return;
            default:
                if (back is null || !SameScalar(rendered.AsValue(), back.AsValue()))
                {
                    problems.Add($"{path}: rendered {rendered.ToJsonString()}, the model holds {back?.ToJsonString() ?? "nothing"}");
                }

                return;
        }
    }

    private static bool SameScalar(JsonValue a, JsonValue b)
    {
        if (a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.Number)
        {
            return double.Parse(a.ToJsonString(), CultureInfo.InvariantCulture) == double.Parse(b.ToJsonString(), CultureInfo.InvariantCulture);
        }

        return a.ToJsonString() == b.ToJsonString() || (a.GetValueKind() == JsonValueKind.Number && b.GetValueKind() == JsonValueKind.String && a.ToJsonString() == (string?)b);
    }
}
