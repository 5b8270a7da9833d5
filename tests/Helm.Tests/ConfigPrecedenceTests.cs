using System.Text.Json.Nodes;

namespace Lookout.Helm.Tests;

/// <summary>
/// What docs/operations/configuration.md says of `config:` in the values: a setting under it reaches config.json as
/// is, except the keys the chart sets from its named values, which win.
/// </summary>
public sealed class ConfigPrecedenceTests
{
    [Theory]
    [InlineData("config: {Bus: {Partitions: 16}}", "Bus.Partitions", "16")]
    [InlineData("config: {Verdicts: {VoteOnly: true}}", "Verdicts.VoteOnly", "true")]
    [InlineData("config: {Notifier: {DataDirectory: /tmp/lookout}}", "Notifier.DataDirectory", "/tmp/lookout")]
    [InlineData("config: {Notifier: {Delivery: {MaxAttempts: 8}}}", "Notifier.Delivery.MaxAttempts", "8")]
    [InlineData("config: {Watcher: {LeaderElection: {LeaseDuration: '00:00:20'}}}", "Watcher.LeaderElection.LeaseDuration", "00:00:20")]
    [InlineData("config: {Watcher: {LeaderElection: {LeaseDuration: '00:00:20'}}}", "Watcher.LeaderElection.LeaseName", "lookout-watcher")]
    [InlineData("config: {Analyzer: {RecentRuns: 10}}", "Analyzer.RecentRuns", "10")]
    [InlineData("config: {Logging: {LogLevel: {Default: Debug}}}", "Logging.LogLevel.Default", "Debug")]
    // The chart's named values win over the same keys under config:.
    [InlineData("config: {Notifier: {Namespace: elsewhere}}", "Notifier.Namespace", "argocd")]
    [InlineData("config: {Notifier: {ConfigMapName: other-cm}}", "Notifier.ConfigMapName", "argocd-notifications-cm")]
    [InlineData("config: {Watcher: {LeaderElection: {Enabled: false, LeaseName: other}}}", "Watcher.LeaderElection.Enabled", "true")]
    [InlineData("config: {Watcher: {LeaderElection: {Enabled: false, LeaseName: other}}}", "Watcher.LeaderElection.LeaseName", "lookout-watcher")]
    [InlineData("config: {Service: {Port: 9999, Address: 127.0.0.1}}", "Service.Port", "8080")]
    [InlineData("config: {Service: {Port: 9999, Address: 127.0.0.1}}", "Service.Address", "0.0.0.0")]
    [InlineData("argocd: {namespace: gitops}", "Notifier.Namespace", "gitops")]
    [InlineData("port: 9090", "Service.Port", "9090")]
    public void ConfigJson_HasTheDocumentedValue(string values, string path, string expected)
    {
        JsonNode config = JsonNode.Parse((string)Chart.Render(values).Single("ConfigMap", "lookout-config").Object["data"]!["config.json"]!)!;

        JsonNode? node = path.Split('.').Aggregate<string, JsonNode?>(config, (n, key) => n?[key]);

        Assert.NotNull(node);
        Assert.Equal(expected, node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString());
    }
}
