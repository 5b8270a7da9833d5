using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lookout.Scenarios.Tests;

/// <summary>
/// Each scenario of <c>scenarios/</c> played through the real demo source, bus, notifier and analyzer (one host at a
/// time: MassTransit's in-memory bus keeps process-wide state), with the exact notifications and verdicts it must
/// produce. The default Slack channel (no recipient) is what the seed's ConfigMap-wide subscriptions address.
/// </summary>
public sealed class ScenarioTests
{
    private static string[] Lines(IEnumerable<SlackMessage> messages) => [.. messages.Select(m => m.ToString())];

    [Fact]
    public async Task Fleet_ProdOnlyTrigger_FiresForNginxProdAlone()
    {
        await using ScenarioHost host = await ScenarioHost.StartAsync("fleet");
        IReadOnlyList<SlackMessage> messages = await host.MessagesAsync(7);

        Assert.Equal(
            new[]
            {
                "(default): ⚠️ Application nginx-dev is out of sync!",
                "(default): ⚠️ Application nginx-prod is out of sync!",
                "(default): ⚠️ Application nginx-staging is out of sync!",
                "(default): ✅ Application nginx-dev has been successfully deployed!",
                "(default): ✅ Application nginx-staging has been successfully deployed!",
                "#prod-deployments: ✅ Application nginx-prod has been successfully deployed!",
                "(default): ✅ Application nginx-prod has been successfully deployed!",
            }.Order(StringComparer.Ordinal),
            Lines(messages).Order(StringComparer.Ordinal));
        Assert.Single(messages, m => m.Channel == "prod-deployments");
    }

    [Fact]
    public async Task SyncWaves_FailingPostSyncHook_IsHeardOnceOnTheAppsChannel_NamingTheHook()
    {
        await using ScenarioHost host = await ScenarioHost.StartAsync("sync-waves");
        IReadOnlyList<SlackMessage> messages = await host.MessagesAsync(3);

        SlackMessage alert = Assert.Single(messages, m => m.Channel == "sync-demo-alerts");
        Assert.Contains("sync-waves-demo: a sync hook failed; the sync Failed", alert.Text, StringComparison.Ordinal);
        Assert.Contains("- PostSync hook Job/healthcheck-postsync: Failed (Job has reached the specified backoff limit)", alert.Text, StringComparison.Ordinal);
        Assert.Contains("- PreSync hook Job/db-migration-backup: Succeeded", alert.Text, StringComparison.Ordinal);
        Assert.Equal(
            [
                "(default): ⚠️ Application sync-waves-demo is out of sync!",
                "#sync-demo-alerts: 🪝 Application sync-waves-demo: a sync hook failed; the sync Failed, health Progressing.",
                "(default): ❌ Application sync-waves-demo sync failed!",
            ],
            Lines(messages));
        Assert.Contains("one or more synchronization tasks completed unsuccessfully", messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("040-degraded.yaml", host.PlayedSteps());
    }

    [Fact]
    public async Task Teams_EachProjectsAnnotations_RouteItsTeamsNotifications()
    {
        await using ScenarioHost host = await ScenarioHost.StartAsync("teams");
        IReadOnlyList<SlackMessage> messages = await host.MessagesAsync(9);

        // The seed's ConfigMap-wide subscriptions tell the default channel; each team's project its own channels.
        Assert.Equal(
            new[]
            {
                "(default): ⚠️ Application frontend-app is out of sync!",
                "(default): ✅ Application backend-app has been successfully deployed!",
                "#backend-deployments: ✅ Application backend-app has been successfully deployed!",
                "(default): ✅ Application frontend-app has been successfully deployed!",
                "#frontend-deployments: ✅ Application frontend-app has been successfully deployed!",
                "(default): ⚠️ Application backend-app is out of sync!",
                "(default): ❌ Application backend-app sync failed!",
                "#backend-alerts: ❌ Application backend-app sync failed!",
                "#backend-alerts: :exclamation: Application payments-app has degraded.",
            }.Order(StringComparer.Ordinal),
            Lines(messages).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(messages, m => m.Channel.StartsWith("frontend-", StringComparison.Ordinal) && !m.Text.Contains("frontend-app", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Channel.StartsWith("backend-", StringComparison.Ordinal) && m.Text.Contains("frontend-app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BlueGreen_HealthyPreview_IsPromoted()
    {
        await using ScenarioHost host = await ScenarioHost.StartAsync("bluegreen");
        await host.WaitForStepAsync("040-yellow-stable.yaml");

        Assert.Equal(["000-blue-active.yaml", "010-yellow-preview.yaml", "020-paused-for-promotion.yaml", "030-promoted.yaml", "040-yellow-stable.yaml"], host.PlayedSteps());
        RunSnapshot run = Assert.Single(host.Runs.List());
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        MetricSnapshot metric = Assert.Single(run.Metrics);
        Assert.Equal(("http-success-rate", 5, 5), (metric.Name, metric.Count, metric.Successful));
        Assert.All(metric.Measurements, m => Assert.Equal("\"200\"", m.Value));
    }

    [Fact]
    public async Task Canary_ErrorRateCrossingTheThreshold_AbortsIt()
    {
        await using ScenarioHost host = await ScenarioHost.StartAsync("canary");
        await host.WaitForStepAsync("030-aborted.yaml");

        Assert.Equal(["000-blue-stable.yaml", "010-yellow-20-percent.yaml", "020-paused-at-20-percent.yaml", "030-aborted.yaml"], host.PlayedSteps());
        RunSnapshot run = Assert.Single(host.Runs.List());
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        MetricSnapshot errorRate = Assert.Single(run.Metrics, m => m.Name == "http-error-rate");
        Assert.Equal(AnalysisPhase.Failed, errorRate.Phase);
        Assert.Equal(["0.021", "0.058", "0.071", "0.094", "0.133"], errorRate.Measurements.Select(m => m.Value));
        Assert.Equal((1, 4), (errorRate.Successful, errorRate.Failed));
        Assert.All(run.Metrics.Where(m => m.Name != "http-error-rate"), m => Assert.Equal(0, m.Failed + m.Error));
    }
}
