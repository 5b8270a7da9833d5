using System.Text.Json.Nodes;
using Lookout.Testing;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests;

/// <summary>
/// The alert rules are valid PromQL that Prometheus accepts: the suggested rules of
/// docs/operations/lookout-alerts.yaml and the chart's PrometheusRule, through <c>promtool check rules</c> (Debian
/// <c>prometheus</c>), and the suggested rules fire as documented (<c>promtool test rules</c> on Alerts/*.test.yaml).
/// </summary>
public sealed class AlertRulesTests : IDisposable
{
    private const string Promtool = "/usr/bin/promtool";

    private readonly string directory = Directory.CreateTempSubdirectory("lookout-alerts-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [SkippableFact]
    public async Task SuggestedRules_PassPromtoolCheck()
    {
        string rules = WriteRules("rules.yaml", DocumentedRuleGroups());

        (int exit, string output) = await RunPromtoolAsync("check", "rules", rules);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SuggestedRules_FireOnTheSeriesTheirTestsGive()
    {
        WriteRules("rules.yaml", DocumentedRuleGroups());
        string test = Path.Combine(directory, "lookout-alerts.test.yaml");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Alerts", "lookout-alerts.test.yaml"), test);

        (int exit, string output) = await RunPromtoolAsync("test", "rules", test);

        Assert.True(exit == 0, output);
    }

    [SkippableFact]
    public async Task ChartRules_PassPromtoolCheck()
    {
        JsonNode spec = Chart.RenderVariant("monitoring").Single("PrometheusRule", "lookout").Object["spec"]!;
        string rules = WriteRules("chart-rules.yaml", spec.DeepClone());

        (int exit, string output) = await RunPromtoolAsync("check", "rules", rules);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public void SuggestedRules_CoverDeadLettersPublishAndWatchFailuresCircuitsAndAnalyzerErrors()
    {
        string[] alerts = [.. DocumentedRuleGroups()["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string)r!["alert"]!)];

        Assert.Superset(
            new HashSet<string>
            {
                "LookoutNotifierDeadLetters", "LookoutWatcherPublishFailures", "LookoutWatcherWatchFailures",
                "LookoutNotifierCircuitOpen", "LookoutAnalyzerProviderErrors", "LookoutAnalyzerRunErrors",
            },
            alerts.ToHashSet());
        Assert.Equal(alerts.Length, alerts.Distinct().Count());
    }

    // The `spec` of the documented PrometheusRule: a Prometheus rules file (`groups:`).
    private static JsonNode DocumentedRuleGroups()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "docs", "operations", "lookout-alerts.yaml");
        JsonNode rule = YamlDocuments.Parse(File.ReadAllText(path), path).Single();
        Assert.Equal("PrometheusRule", (string?)rule["kind"]);
        return rule["spec"]!.DeepClone();
    }

    // JSON is YAML: promtool reads it as a rules file.
    private string WriteRules(string name, JsonNode groups)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, groups.ToJsonString());
        return path;
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(params string[] args)
    {
        string? missing = DebianPackages.Missing("prometheus", Promtool);
        Skip.If(missing is not null, missing);
        return await DebianPackages.RunAsync(Promtool, args, timeout: TimeSpan.FromMinutes(1));
    }
}
