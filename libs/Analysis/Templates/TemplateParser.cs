using System.Globalization;
using System.Text.Json.Nodes;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Analysis.Templates;

/// <summary>Reads AnalysisTemplates and ClusterAnalysisTemplates from YAML or from decoded Kubernetes objects.</summary>
public static class TemplateParser
{
    private static readonly HashSet<string> MetricFields =
    [
        "name", "interval", "initialDelay", "count", "successCondition", "failureCondition", "failureLimit",
        "inconclusiveLimit", "consecutiveErrorLimit", "consecutiveSuccessLimit", "provider",
    ];

    /// <summary>Every AnalysisTemplate and ClusterAnalysisTemplate in a YAML stream; other kinds are skipped.</summary>
    /// <exception cref="TemplateException">The YAML or a template in it is invalid.</exception>
    public static IReadOnlyList<AnalysisTemplate> ParseYaml(string yaml, string source)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlDocuments.Parse(yaml, source);
        }
        catch (FormatException ex)
        {
            throw new TemplateException(ex.Message, ex);
        }

        var templates = new List<AnalysisTemplate>();
        for (int i = 0; i < documents.Count; i++)
        {
            if (ObjectModel.FromJson(documents[i].ToJsonString()) is ObjectMap obj && IsTemplate(obj))
            {
                templates.Add(Parse(obj, documents.Count > 1 ? $"{source} (document {i + 1})" : source));
            }
        }

        return templates;
    }

    /// <summary>True for an object of kind AnalysisTemplate or ClusterAnalysisTemplate.</summary>
    public static bool IsTemplate(ObjectMap obj) =>
        obj.TryGetValue("kind", out object? kind) && kind is AnalysisTemplate.NamespacedKind or AnalysisTemplate.ClusterKind;

    /// <summary>Reads one template from its decoded object.</summary>
    /// <exception cref="TemplateException">A field has the wrong type, a required field is missing or a metric has an unknown field.</exception>
    public static AnalysisTemplate Parse(ObjectMap obj, string source)
    {
        ArgumentNullException.ThrowIfNull(obj);
        string kind = obj.TryGetValue("kind", out object? k) && k is string ks ? ks : AnalysisTemplate.NamespacedKind;
        ObjectMap metadata = Map(obj, "metadata", source) ?? new ObjectMap();
        string name = Str(metadata, "name", source, "metadata.name") ?? string.Empty;
        string? ns = kind == AnalysisTemplate.ClusterKind ? null : Str(metadata, "namespace", source, "metadata.namespace");
        string where = source.Length > 0 ? source : $"{kind} {name}";
        ObjectMap spec = Map(obj, "spec", where) ?? throw new TemplateException($"{where}: spec is required");

        var metrics = new List<MetricTemplate>();
        foreach (var (item, path) in Items(spec, "metrics", where, "spec.metrics"))
        {
            ObjectMap m = item as ObjectMap ?? throw new TemplateException($"{where}: {path} must be an object");
            foreach (string key in m.Keys)
            {
                if (!MetricFields.Contains(key))
                {
                    throw new TemplateException($"{where}: {path}.{key} is not a field of a metric (known: {string.Join(", ", MetricFields)})");
                }
            }

            string metricName = Str(m, "name", where, $"{path}.name") ?? throw new TemplateException($"{where}: {path}.name is required");
            metrics.Add(new MetricTemplate(metricName, m));
        }

        var args = new List<Argument>();
        foreach (var (item, path) in Items(spec, "args", where, "spec.args"))
        {
            args.Add(ParseArgument(item, where, path));
        }

        var dryRun = new List<DryRunRule>();
        foreach (var (item, path) in Items(spec, "dryRun", where, "spec.dryRun"))
        {
            ObjectMap m = item as ObjectMap ?? throw new TemplateException($"{where}: {path} must be an object");
            dryRun.Add(new DryRunRule(Str(m, "metricName", where, $"{path}.metricName") ?? throw new TemplateException($"{where}: {path}.metricName is required")));
        }

        var retention = new List<RetentionRule>();
        foreach (var (item, path) in Items(spec, "measurementRetention", where, "spec.measurementRetention"))
        {
            ObjectMap m = item as ObjectMap ?? throw new TemplateException($"{where}: {path} must be an object");
            string metricName = Str(m, "metricName", where, $"{path}.metricName") ?? throw new TemplateException($"{where}: {path}.metricName is required");
            long limit = m.TryGetValue("limit", out object? l) && l is long ll ? ll : throw new TemplateException($"{where}: {path}.limit must be an integer");
            retention.Add(new RetentionRule(metricName, (int)Math.Clamp(limit, int.MinValue, int.MaxValue)));
        }

        return new AnalysisTemplate(kind, name, ns, new TemplateSpec(metrics, args, dryRun, retention), where);
    }

    /// <summary>Reads one argument (<c>name</c>, <c>value</c>, <c>valueFrom</c>), of a template or of a run request.</summary>
    public static Argument ParseArgument(object? item, string where, string path)
    {
        ObjectMap m = item as ObjectMap ?? throw new TemplateException($"{where}: {path} must be an object");
        string name = Str(m, "name", where, $"{path}.name") ?? throw new TemplateException($"{where}: {path}.name is required");
        string? value = m.TryGetValue("value", out object? v) && v is not null ? Scalar(v, where, $"{path}.value") : null;
        SecretKeyRef? secret = null;
        string? fieldPath = null;
        if (Map(m, "valueFrom", where) is { } from)
        {
            if (Map(from, "secretKeyRef", where) is { } s)
            {
                secret = new SecretKeyRef(
                    Str(s, "name", where, $"{path}.valueFrom.secretKeyRef.name") ?? string.Empty,
                    Str(s, "key", where, $"{path}.valueFrom.secretKeyRef.key") ?? string.Empty);
            }

            if (Map(from, "fieldRef", where) is { } f)
            {
                fieldPath = Str(f, "fieldPath", where, $"{path}.valueFrom.fieldRef.fieldPath") ?? string.Empty;
            }
        }

        return new Argument(name, value, secret, fieldPath);
    }

    private static string Scalar(object v, string where, string path) => v switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => GoFmt.ToString(d),
        bool b => b ? "true" : "false",
        _ => throw new TemplateException($"{where}: {path} must be a string"),
    };

    private static IEnumerable<(object? Item, string Path)> Items(ObjectMap parent, string key, string where, string path)
    {
        if (!parent.TryGetValue(key, out object? value) || value is null)
        {
            yield break;
        }

        if (value is not List<object?> list)
        {
            throw new TemplateException($"{where}: {path} must be a list");
        }

        for (int i = 0; i < list.Count; i++)
        {
            yield return (list[i], $"{path}[{i}]");
        }
    }

    private static ObjectMap? Map(ObjectMap parent, string key, string where) =>
        !parent.TryGetValue(key, out object? value) || value is null ? null
        : value as ObjectMap ?? throw new TemplateException($"{where}: {key} must be an object");

    private static string? Str(ObjectMap parent, string key, string where, string path) =>
        !parent.TryGetValue(key, out object? value) || value is null ? null
        : value as string ?? throw new TemplateException($"{where}: {path} must be a string");
}
