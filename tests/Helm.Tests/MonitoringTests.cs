using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Helm.Tests.Rendering;

namespace Lookout.Helm.Tests;

/// <summary>The ServiceMonitor, the alerts and the dashboard query metrics the services export (or the README lists).</summary>
public sealed partial class MonitoringTests
{
    [Fact]
    public void ServiceMonitor_ScrapesMetricsOfEveryServiceOfTheRelease()
    {
        RenderResult result = Chart.RenderVariant("monitoring");

        JsonObject monitor = result.Single("ServiceMonitor", "lookout").Object;
        Assert.Equal("kube-prometheus-stack", (string?)monitor["metadata"]!["labels"]!["release"]);
        JsonObject selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject();
        JsonNode endpoint = monitor["spec"]!["endpoints"]!.AsArray().Single()!;
        Assert.Equal(("http", "/metrics", "30s"), ((string?)endpoint["port"], (string?)endpoint["path"], (string?)endpoint["interval"]));
        foreach (RenderedManifest service in result.OfKind("Service"))
        {
            JsonObject labels = service.Object["metadata"]!["labels"]!.AsObject();
            Assert.All(selector, l => Assert.Equal((string?)l.Value, (string?)labels[l.Key]));
            Assert.Contains(service.Object["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "http");
        }
    }

    [Fact]
    public void Alerts_CoverDeadLettersCircuitsAbortsAndWatchErrors()
    {
        JsonArray rules = Rules();

        Assert.Equal(
            ["LookoutNotifierDeadLetters", "LookoutNotifierCircuitOpen", "LookoutAnalyzerVerdictAborts", "LookoutWatcherWatchErrors", "LookoutWatcherNoLeader"],
            rules.Select(r => (string)r!["alert"]!));
        Assert.All(rules, r =>
        {
            Assert.Contains("namespace=\"argocd\"", (string)r!["expr"]!, StringComparison.Ordinal);
            Assert.NotNull(r["labels"]!["severity"]);
            Assert.NotNull(r["annotations"]!["summary"]);
        });
    }

    [Fact]
    public void AlertAnnotations_KeepPrometheusTemplates_ForPrometheusToExpand()
    {
        JsonNode circuit = Rules().Single(r => (string?)r!["alert"] == "LookoutNotifierCircuitOpen")!;

        Assert.Equal("Deliveries to {{ $labels.service }} are suspended", (string?)circuit["annotations"]!["summary"]);
        Assert.Equal("5m", (string?)circuit["for"]);
    }

    [Fact]
    public void Dashboard_IsAGrafanaJsonInAConfigMapTheSidecarLoads()
    {
        RenderResult result = Chart.RenderVariant("monitoring");

        JsonObject map = result.Single("ConfigMap", "lookout-dashboard").Object;
        Assert.Equal("1", (string?)map["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("Lookout", (string?)map["metadata"]!["annotations"]!["grafana_folder"]);
        JsonNode dashboard = JsonNode.Parse((string)map["data"]!["lookout.json"]!)!;
        Assert.Equal("lookout", (string?)dashboard["uid"]);
        Assert.True(dashboard["panels"]!.AsArray().Count >= 8);
    }

    [Fact]
    public void EveryMetricQueried_IsExportedOrListedInTheReadme()
    {
        RenderResult result = Chart.RenderVariant("monitoring");
        string queries = string.Join('\n', Rules().Select(r => (string)r!["expr"]!))
            + (string)result.Single("ConfigMap", "lookout-dashboard").Object["data"]!["lookout.json"]!;
        string running = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "running.md"));
        string readme = File.ReadAllText(Path.Combine(Chart.Directory, "README.md"));

        string[] metrics = [.. MetricName().Matches(queries).Select(m => m.Value).Distinct()];
        Assert.Contains("lookout_watcher_watch_failures_total", metrics);
        Assert.Contains("notifications_deliveries_total", metrics);
        Assert.All(metrics.Where(m => m.StartsWith("lookout_watcher_", StringComparison.Ordinal)), m => Assert.Contains($"`{m}", running, StringComparison.Ordinal));
        Assert.All(metrics, m => Assert.Contains($"`{m}", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void MonitoringOff_RendersNoneOfIt()
    {
        RenderResult result = Chart.Render();

        Assert.DoesNotContain(result.Manifests, m => m.Kind is "ServiceMonitor" or "PrometheusRule" || m.Name == "lookout-dashboard");
    }

    private static JsonArray Rules() =>
        Chart.RenderVariant("monitoring").Single("PrometheusRule", "lookout").Object["spec"]!["groups"]![0]!["rules"]!.AsArray();

    [GeneratedRegex(@"\b(lookout|notifications)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
