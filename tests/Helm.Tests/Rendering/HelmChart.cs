using System.Text.Json.Nodes;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests.Rendering;

/// <summary>
/// A chart as Helm's loader reads a directory: <c>Chart.yaml</c> (the metadata), <c>values.yaml</c> (the defaults),
/// <c>values.schema.json</c>, the templates under <c>templates/</c> named <c>chart/templates/…</c>, and every other
/// file as <c>.Files</c>.
/// </summary>
internal sealed class HelmChart
{
    private HelmChart(string name, ObjectMap metadata, JsonNode defaults, string? schema, IReadOnlyList<ChartTemplate> templates, IReadOnlyDictionary<string, string> files)
    {
        Name = name;
        Metadata = metadata;
        Defaults = defaults;
        Schema = schema;
        Templates = templates;
        Files = files;
    }

    public string Name { get; }

    /// <summary>Chart.yaml's fields under Helm's Go names (<c>Name</c>, <c>Version</c>, <c>AppVersion</c>, …): <c>.Chart</c>.</summary>
    public ObjectMap Metadata { get; }

    /// <summary>values.yaml.</summary>
    public JsonNode Defaults { get; }

    /// <summary>values.schema.json's text, if the chart has one.</summary>
    public string? Schema { get; }

    public IReadOnlyList<ChartTemplate> Templates { get; }

    public IReadOnlyDictionary<string, string> Files { get; }

    public static HelmChart Load(string directory)
    {
        string chartYaml = Path.Combine(directory, "Chart.yaml");
        JsonNode chart = YamlDocuments.Parse(File.ReadAllText(chartYaml), "Chart.yaml").SingleOrDefault()
            ?? throw new ChartRenderException("Chart.yaml is empty");
        string name = (string?)chart["name"] ?? throw new ChartRenderException("Chart.yaml: name is required");
        var metadata = new ObjectMap();
        foreach ((string key, JsonNode? value) in chart.AsObject())
        {
            // Helm's chart.Metadata exposes Go field names: apiVersion is APIVersion, the rest are capitalised.
            string field = key == "apiVersion" ? "APIVersion" : char.ToUpperInvariant(key[0]) + key[1..];
            metadata[field] = value is null ? null : ObjectModel.FromJson(value.ToJsonString());
        }

        string valuesPath = Path.Combine(directory, "values.yaml");
        JsonNode defaults = File.Exists(valuesPath)
            ? YamlDocuments.Parse(File.ReadAllText(valuesPath), "values.yaml").SingleOrDefault() ?? new JsonObject()
            : new JsonObject();
        string schemaPath = Path.Combine(directory, "values.schema.json");
        string? schema = File.Exists(schemaPath) ? File.ReadAllText(schemaPath) : null;

        var templates = new List<ChartTemplate>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
            if (relative.StartsWith("templates/", StringComparison.Ordinal))
            {
                templates.Add(new ChartTemplate($"{name}/{relative}", File.ReadAllText(path)));
            }
            else if (relative is not ("Chart.yaml" or "values.yaml" or "values.schema.json"))
            {
                files[relative] = File.ReadAllText(path);
            }
        }

        return new HelmChart(name, metadata, defaults, schema, templates, files);
    }
}

/// <summary>A template file: its name as Helm gives it (<c>lookout/templates/deployments.yaml</c>) and its text.</summary>
internal sealed record ChartTemplate(string Name, string Text)
{
    /// <summary>Files whose base name starts with <c>_</c> only define templates; Helm renders nothing of them.</summary>
    public bool IsPartial => Path.GetFileName(Name).StartsWith('_');

    /// <summary>NOTES.txt is rendered apart from the manifests.</summary>
    public bool IsNotes => Name.EndsWith("/NOTES.txt", StringComparison.Ordinal);
}

/// <summary>What <c>helm template</c> would have refused: bad values, a template error, a document that is not YAML.</summary>
public sealed class ChartRenderException : Exception
{
    public ChartRenderException()
    {
    }

    public ChartRenderException(string message)
        : base(message)
    {
    }

    public ChartRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
