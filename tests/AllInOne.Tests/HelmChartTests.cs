using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Values.Yaml;

namespace Lookout.AllInOne.Tests;

/// <summary>
/// Structural checks of deploy/helm/lookout (helm itself is not installed here): its YAML parses, and every
/// <c>.Values.x.y</c> a template reads is declared in values.yaml, so a typo cannot render an empty setting.
/// </summary>
public sealed partial class HelmChartTests
{
    private static readonly string Chart = Path.Combine(AppContext.BaseDirectory, "helm", "lookout");

    [Fact]
    public void ChartAndValues_AreValidYaml()
    {
        JsonNode chart = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Chart, "Chart.yaml")), "Chart.yaml").Single();
        Assert.Equal("lookout", (string?)chart["name"]);
        Assert.Equal("v2", (string?)chart["apiVersion"]);
        JsonNode values = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Chart, "values.yaml")), "values.yaml").Single();
        Assert.Equal(2L, (long?)values["watcher"]!["replicas"]);
    }

    [Fact]
    public void EveryValueATemplateReads_IsDeclaredInValuesYaml()
    {
        JsonNode values = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Chart, "values.yaml")), "values.yaml").Single();
        var missing = new List<string>();
        foreach (string template in Directory.EnumerateFiles(Path.Combine(Chart, "templates")))
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
    public void Deployments_ProbeTheEndpointsEveryServiceServes()
    {
        string deployments = File.ReadAllText(Path.Combine(Chart, "templates", "deployments.yaml"));
        Assert.Contains("path: /healthz", deployments, StringComparison.Ordinal);
        Assert.Contains("path: /readyz", deployments, StringComparison.Ordinal);
        Assert.Contains("secretKeyRef", deployments, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\$?\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesReference();
}
