using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Lookout.Templates;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests.Rendering;

/// <summary>The release a render is for, and the cluster it claims to target (<c>helm template</c>'s flags).</summary>
internal sealed record ReleaseOptions
{
    public string Name { get; init; } = "lookout";

    public string Namespace { get; init; } = "argocd";

    /// <summary><c>--kube-version</c>.</summary>
    public string KubeVersion { get; init; } = "v1.31.0";

    /// <summary><c>--api-versions</c>: versions beyond the built-in ones, such as <c>monitoring.coreos.com/v1</c>.</summary>
    public IReadOnlyList<string> ExtraApiVersions { get; init; } = [];
}

/// <summary>One rendered document: the template it came from, its text and the object it reads as.</summary>
internal sealed record RenderedManifest(string Source, string Text, JsonObject Object)
{
    public string ApiVersion => (string?)Object["apiVersion"] ?? string.Empty;

    public string Kind => (string?)Object["kind"] ?? string.Empty;

    public string Name => (string?)Object["metadata"]?["name"] ?? string.Empty;

    public override string ToString() => $"{Kind}/{Name} ({Source})";
}

/// <summary>A render's manifests, its NOTES.txt and the values it used (defaults coalesced with the overrides).</summary>
internal sealed record RenderResult(IReadOnlyList<RenderedManifest> Manifests, string Notes, JsonNode Values)
{
    public IEnumerable<RenderedManifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public RenderedManifest Single(string kind, string name) =>
        Manifests.SingleOrDefault(m => m.Kind == kind && m.Name == name)
        ?? throw new InvalidOperationException($"no {kind}/{name} among: {string.Join(", ", Manifests)}");
}

/// <summary>
/// <c>helm template</c> without helm: values coalesced and checked against values.schema.json, every template parsed
/// by our Go template engine with Sprig's functions and Helm's own (Helm's pkg/engine semantics: <c>missingkey=zero</c>
/// with <c>&lt;no value&gt;</c> removed, <c>include</c> and <c>tpl</c> late-bound, <c>lookup</c> empty as under
/// <c>helm template</c>), partials skipped, the output split into documents as Helm splits it.
/// </summary>
internal sealed partial class ChartRenderer(HelmChart chart)
{
    // Helm allows 1000 nested includes of one name; each is a fresh execution on the C# stack here, so the bound is
    // lower (no real chart nests anywhere near it).
    private const int MaxIncludeDepth = 100;

    private static readonly string[] BuiltinApiVersions =
    [
        "v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2", "rbac.authorization.k8s.io/v1",
        "coordination.k8s.io/v1", "networking.k8s.io/v1", "events.k8s.io/v1", "discovery.k8s.io/v1", "storage.k8s.io/v1",
        "scheduling.k8s.io/v1", "apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1", "certificates.k8s.io/v1",
    ];

    /// <summary>Renders with values.yaml overridden by each YAML text in turn (as repeated <c>-f</c> files).</summary>
    public RenderResult Render(ReleaseOptions? release, params string[] overrides)
    {
        release ??= new ReleaseOptions();
        JsonNode values = chart.Defaults.DeepClone();
        for (int i = 0; i < overrides.Length; i++)
        {
            JsonNode? layer = YamlDocuments.Parse(overrides[i], $"values override {i + 1}").SingleOrDefault();
            if (layer is JsonObject obj)
            {
                values = Coalesce(obj, values.AsObject());
            }
        }

        CheckKubeVersion(release);
        CheckSchema(values);
        var session = new Session(chart, release, GoJson.Unmarshal(values.ToJsonString()));
        (List<RenderedManifest> manifests, string notes) = session.Run();
        return new RenderResult(manifests, notes, values);
    }

    public RenderResult Render(params string[] overrides) => Render(null, overrides);

    /// <summary>Helm's coalescing: the user's value wins, maps merge key by key, a null removes the chart's key.</summary>
    private static JsonObject Coalesce(JsonObject user, JsonObject defaults)
    {
        var result = defaults.DeepClone().AsObject();
        foreach ((string key, JsonNode? value) in user)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject userMap && result[key] is JsonObject chartMap)
            {
                result[key] = Coalesce(userMap, chartMap);
            }
            else
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }

    // Helm refuses a chart whose Chart.yaml kubeVersion the target cluster does not satisfy (Masterminds/semver rules,
    // as Sprig's semverCompare applies them).
    private void CheckKubeVersion(ReleaseOptions release)
    {
        if (chart.Metadata.TryGetValue("KubeVersion", out object? constraint) && constraint is string { Length: > 0 } c
            && Sprig.SprigFunctions.Create()["semverCompare"].Call(c, release.KubeVersion) is false)
        {
            throw new ChartRenderException($"chart requires kubeVersion: {c} which is incompatible with Kubernetes {release.KubeVersion}");
        }
    }

    private void CheckSchema(JsonNode values)
    {
        if (chart.Schema is null)
        {
            return;
        }

        IReadOnlyList<string> errors = ValuesSchema.Validate(chart.Schema, values, "this chart has no such value (misspelt?)");
        if (errors.Count > 0)
        {
            throw new ChartRenderException(
                $"values don't meet the specifications of the schema(s) in the following chart(s):\n{chart.Name}:\n"
                + string.Join('\n', errors.Select(e => $"- {e}")));
        }
    }

    /// <summary>One render: the parsed templates, the include depth, the data every template sees.</summary>
    private sealed class Session
    {
        private readonly HelmChart chart;
        private readonly Dictionary<string, GoTemplate> definitions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> includeDepth = new(StringComparer.Ordinal);
        private readonly TemplateOptions options;
        private readonly ObjectMap top;

        public Session(HelmChart chart, ReleaseOptions release, object? values)
        {
            this.chart = chart;
            options = new TemplateOptions { Functions = Functions(), MissingKey = MissingKey.Zero };
            string kube = release.KubeVersion.StartsWith('v') ? release.KubeVersion : "v" + release.KubeVersion;
            string[] parts = kube[1..].Split('.');
            top = new ObjectMap
            {
                ["Values"] = values ?? new ObjectMap(),
                ["Release"] = new ObjectMap
                {
                    ["Name"] = release.Name,
                    ["Namespace"] = release.Namespace,
                    ["IsInstall"] = true,
                    ["IsUpgrade"] = false,
                    ["Revision"] = 1L,
                    ["Service"] = "Helm",
                },
                ["Chart"] = chart.Metadata,
                ["Capabilities"] = new ObjectMap
                {
                    ["KubeVersion"] = new ObjectMap { ["Version"] = kube, ["GitVersion"] = kube, ["Major"] = parts[0], ["Minor"] = parts.Length > 1 ? parts[1] : "0" },
                    ["APIVersions"] = new ApiVersionSet(BuiltinApiVersions.Concat(release.ExtraApiVersions)),
                },
                ["Files"] = new HelmFiles(chart.Files),
                ["Subcharts"] = new ObjectMap(),
            };
        }

        public (List<RenderedManifest> Manifests, string Notes) Run()
        {
            foreach (ChartTemplate template in chart.Templates.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                GoTemplate parsed;
                try
                {
                    parsed = GoTemplate.Parse(template.Name, template.Text, options);
                }
                catch (TemplateException ex)
                {
                    throw new ChartRenderException($"parse error in {template.Name}: {ex.Message}", ex);
                }

                foreach (string name in parsed.TemplateNames)
                {
                    definitions[name] = parsed;
                }
            }

            var manifests = new List<RenderedManifest>();
            string notes = string.Empty;
            foreach (ChartTemplate template in chart.Templates.Where(t => !t.IsPartial).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                string text = Execute(template);
                if (template.IsNotes)
                {
                    notes = text;
                    continue;
                }

                foreach (string document in DocumentSeparator().Split(text))
                {
                    if (string.IsNullOrWhiteSpace(document))
                    {
                        continue;
                    }

                    IReadOnlyList<JsonNode> parsed;
                    try
                    {
                        parsed = YamlDocuments.Parse(document, template.Name);
                    }
                    catch (FormatException ex)
                    {
                        throw new ChartRenderException($"YAML parse error on {template.Name}: {ex.Message}\n{document}", ex);
                    }

                    if (parsed.Count == 0)
                    {
                        continue; // only comments
                    }

                    if (parsed[0] is not JsonObject obj || obj["kind"] is null || obj["apiVersion"] is null)
                    {
                        throw new ChartRenderException($"{template.Name}: a document without apiVersion and kind:\n{document}");
                    }

                    manifests.Add(new RenderedManifest(template.Name, document.Trim('\n'), obj));
                }
            }

            return (manifests, notes);
        }

        private string Execute(ChartTemplate template)
        {
            var data = new ObjectMap(top)
            {
                ["Template"] = new ObjectMap { ["Name"] = template.Name, ["BasePath"] = $"{chart.Name}/templates" },
            };
            try
            {
                return definitions[template.Name].ExecuteTemplate(template.Name, data).Replace("<no value>", string.Empty, StringComparison.Ordinal);
            }
            catch (TemplateException ex)
            {
                throw new ChartRenderException($"execution error in {template.Name}: {ex.Message}", ex);
            }
        }

        private Dictionary<string, GoFunction> Functions()
        {
            var map = new Dictionary<string, GoFunction>(Sprig.SprigFunctions.Create(), StringComparer.Ordinal);
            foreach (GoFunction f in HelmFunctions.All())
            {
                map[f.Name] = f;
            }

            map["include"] = new GoFunction("include", 2, 2, a => Include(a[0] as string ?? throw new GoFunctionException("include: the name must be a string"), a[1]));
            map["tpl"] = new GoFunction("tpl", 2, 2, a => Tpl(a[0] as string ?? throw new GoFunctionException("tpl: the text must be a string"), a[1]));
            return map;
        }

        private string Include(string name, object? data)
        {
            if (!definitions.TryGetValue(name, out GoTemplate? owner))
            {
                throw new GoFunctionException($"template: no template \"{name}\" associated with template \"gotpl\"");
            }

            int depth = includeDepth.GetValueOrDefault(name);
            if (depth > MaxIncludeDepth)
            {
                throw new GoFunctionException($"rendering template has a nested reference name: {name}: unable to execute template");
            }

            includeDepth[name] = depth + 1;
            try
            {
                return owner.ExecuteTemplate(name, data);
            }
            catch (TemplateException ex)
            {
                throw new GoFunctionException(ex.Message, ex);
            }
            finally
            {
                includeDepth[name] = depth;
            }
        }

        private string Tpl(string text, object? data)
        {
            try
            {
                return GoTemplate.Parse("tpl", text, options).Execute(data).Replace("<no value>", string.Empty, StringComparison.Ordinal);
            }
            catch (TemplateException ex)
            {
                throw new GoFunctionException($"error during tpl function execution for \"{text}\": {ex.Message}", ex);
            }
        }
    }

    // Helm's releaseutil.SplitManifests separator.
    [GeneratedRegex(@"(?:^|\s*\n)---\s*")]
    private static partial Regex DocumentSeparator();
}

/// <summary>values.schema.json checked as Helm checks it, each failure as "at '/pointer': message".</summary>
internal static class ValuesSchema
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Parsed = new(StringComparer.Ordinal);

    /// <param name="schemaText">The schema.</param>
    /// <param name="values">The document.</param>
    /// <param name="unknown">What to say of a property that <c>additionalProperties: false</c> refuses.</param>
    public static IReadOnlyList<string> Validate(string schemaText, JsonNode values, string unknown = "no such field here (misspelt?)")
    {
        JsonSchema schema = Parsed.GetOrAdd(schemaText, text => JsonSchema.FromText(text));
        EvaluationResults results = schema.Evaluate(JsonSerializer.SerializeToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}': {(e.Key == "falseSchema" || d.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal) ? unknown : e.Value)}"))
            .Distinct(StringComparer.Ordinal)];
    }
}
