using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Helm.Tests.Rendering;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests;

/// <summary>values.schema.json turns a bad value into a clear refusal; every value is declared and documented.</summary>
public sealed partial class ValuesTests
{
    public static TheoryData<string, string> BadValues => new()
    {
        { "notifier: {replicas: 0}", "at '/notifier/replicas'" },
        { "watcher: {replicas: two}", "at '/watcher/replicas'" },
        { "logFormat: Xml", "at '/logFormat'" },
        { "port: 70000", "at '/port'" },
        { "image: {pullPolicy: Sometimes}", "at '/image/pullPolicy'" },
        { "watchr: {replicas: 3}", "at '/watchr'" },
        { "notifier: {replicaCount: 2}", "at '/notifier/replicaCount'" },
        { "rabbitmq: {url: 'http://rabbitmq:15672/'}", "at '/rabbitmq/url'" },
        { "rabbitmq: {cluster: {enabled: true, replicas: 2}}", "at '/rabbitmq/cluster/replicas'" },
        { "rabbitmq: {existingSecret: ''}", "at '/rabbitmq/existingSecret'" },
        { "analyzer: {secretNames: prometheus-token}", "at '/analyzer/secretNames'" },
        { "analyzer: {secretNames: [Not_A_Name]}", "at '/analyzer/secretNames/0'" },
        { "serviceMonitor: {enabled: true, interval: soon}", "at '/serviceMonitor/interval'" },
        { "podDisruptionBudget: {maxUnavailable: half}", "at '/podDisruptionBudget/maxUnavailable'" },
        { "watcher: {resources: {limits: {memory: lots}}}", "at '/watcher/resources/limits/memory'" },
        { "notifier: {replicas: 2, persistence: {enabled: true}}", "at '/notifier/replicas'" },
        { "notifier: {persistence: {size: big}}", "at '/notifier/persistence/size'" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValue_IsRejectedNamingWhereItIs(string values, string where)
    {
        var ex = Assert.Throws<ChartRenderException>(() => Chart.Render(values));

        Assert.StartsWith("values don't meet the specifications of the schema(s) in the following chart(s):\nlookout:\n- ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownValue_IsNamedAsNotAllowed()
    {
        var ex = Assert.Throws<ChartRenderException>(() => Chart.Render("watchr: {replicas: 3}"));

        Assert.Contains("at '/watchr': this chart has no such value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rabbitmq: {url: 'amqp://u:p@h:5672/', cluster: {enabled: true}}", "rabbitmq: url and cluster.enabled both set")]
    public void ConflictingValues_FailTheRender(string values, string message)
    {
        var ex = Assert.Throws<ChartRenderException>(() => Chart.Render(values));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullOverride_RemovesTheDefault()
    {
        // Helm's coalescing: `key: null` deletes the chart's default; here the schema then requires it back.
        var ex = Assert.Throws<ChartRenderException>(() => Chart.Render("image: null"));

        Assert.Contains("image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryValueATemplateReads_IsDeclaredInValuesYaml()
    {
        JsonNode values = Defaults();
        var missing = new List<string>();
        foreach (string template in Directory.EnumerateFiles(Path.Combine(Chart.Directory, "templates"), "*", SearchOption.AllDirectories))
        {
            foreach (Match m in ValuesReference().Matches(File.ReadAllText(template)))
            {
                JsonNode? node = values;
                foreach (string key in m.Groups[1].Value.Split('.'))
                {
                    node = node is JsonObject obj && obj.TryGetPropertyValue(key, out JsonNode? next) ? next ?? JsonValue.Create(string.Empty) : null;
                }

                if (node is null)
                {
                    missing.Add($"{Path.GetFileName(template)}: .Values.{m.Groups[1].Value}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryValue_IsDocumentedInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(Chart.Directory, "README.md"));
        var undocumented = Leaves(Defaults(), string.Empty)
            .Where(path => !readme.Contains($"`{path}`", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void EveryVariant_IsDocumentedInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(Chart.Directory, "README.md"));

        Assert.All(Chart.Variants.Skip(1), v => Assert.Contains($"ci/{v}-values.yaml", readme, StringComparison.Ordinal));
        Assert.Equal(
            Chart.Variants.Skip(1).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(Path.Combine(Chart.Directory, "ci")).Select(f => Path.GetFileName(f)[..^"-values.yaml".Length]).Order(StringComparer.Ordinal));
    }

    private static JsonNode Defaults() =>
        YamlDocuments.Parse(File.ReadAllText(Path.Combine(Chart.Directory, "values.yaml")), "values.yaml").Single();

    // Leaves, and maps documented as a whole (resources, labels, annotations: free-form maps).
    private static IEnumerable<string> Leaves(JsonNode? node, string prefix)
    {
        if (node is JsonObject obj && obj.Count > 0 && !FreeForm().IsMatch(prefix))
        {
            return obj.SelectMany(kv => Leaves(kv.Value, prefix.Length == 0 ? kv.Key : $"{prefix}.{kv.Key}"));
        }

        return [prefix];
    }

    [GeneratedRegex(@"(^|\.)(resources|labels|annotations|podSecurityContext|securityContext|Watcher|Publisher)$")]
    private static partial Regex FreeForm();

    [GeneratedRegex(@"\$?\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesReference();
}
