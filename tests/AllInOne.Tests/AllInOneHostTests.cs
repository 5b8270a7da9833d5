using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lookout.AllInOne.Tests;

public sealed class AllInOneHostTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(params string[] args)
    {
        WebApplication app = AllInOneHost.Build(["--port", "0", "--Watcher:DemoReplayInterval=00:00:00.100", "--Analyzer:Demo:TimeScale=100", "--Analyzer:Demo:Prometheus=http://127.0.0.1:1", .. args]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private static double Metric(string metrics, string series) =>
        metrics.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

    private static async Task<string> MetricsOnceTheDemoEndedAsync(HttpClient http)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token);
            // The bundled scenarios hold 30 real changes over two kinds (the Rollouts' last ones only after the
            // analyzer's votes), published by two watchers in their own time.
            double published = Metric(metrics, "lookout_watcher_events_published_total{type=\"ApplicationChanged\"}")
                + Metric(metrics, "lookout_watcher_events_published_total{type=\"RolloutChanged\"}")
                + Metric(metrics, "lookout_watcher_events_published_total{type=\"ObjectDeleted\"}");
            if (published >= 30)
            {
                return metrics;
            }

            await Task.Delay(50, cts.Token);
        }
    }

    [Fact]
    public async Task OnItsDefaults_ReplaysEveryBundledScenario_AndEventsFlowThroughTheBus()
    {
        (WebApplication first, HttpClient firstHttp) = await StartAsync();
        await using (first)
        using (firstHttp)
        {
            foreach (HttpClient http in (HttpClient[])[firstHttp])
            {
                // fleet 8, sync-waves 5, teams 7 Application changes; bluegreen 5 (promoted), canary 4 (aborted)
                // Rollout changes; one deletion; two reconcile-only updates that publish nothing.
                string metrics = await MetricsOnceTheDemoEndedAsync(http);
                Assert.Equal(20, Metric(metrics, "lookout_watcher_events_published_total{type=\"ApplicationChanged\"}"));
                Assert.Equal(9, Metric(metrics, "lookout_watcher_events_published_total{type=\"RolloutChanged\"}"));
                Assert.Equal(1, Metric(metrics, "lookout_watcher_events_published_total{type=\"ObjectDeleted\"}"));
                Assert.Equal(2, Metric(metrics, "lookout_watcher_noise_updates_total{kind=\"Application\"}"));
                Assert.Equal(1, Metric(metrics, "lookout_watcher_leader"));

                // The notifier's metrics are served from the same host registry as the watcher's (they were in a registry nobody served).
                string[] lines = metrics.Split('\n');
                Assert.Contains(lines, l => l.StartsWith("notifications_trigger_eval_total{", StringComparison.Ordinal));
                Assert.Contains(lines, l => l.StartsWith("notifications_dead_letters ", StringComparison.Ordinal));

                HttpResponseMessage ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                string readiness = await ready.Content.ReadAsStringAsync();
                Assert.True(ready.IsSuccessStatusCode, readiness);
                Assert.Contains("watching: Healthy (watching 2 scopes)", readiness, StringComparison.Ordinal);
                HttpResponseMessage live = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                Assert.True(live.IsSuccessStatusCode);
            }

            await first.StopAsync();
        }
    }

    [Fact]
    public async Task AgainstARealCluster_EventsAreNotStampedDemo()
    {
        WebApplication cluster = AllInOneHost.Build(["--port", "0", "--Watcher:ApiServer=http://127.0.0.1:1"]);
        WebApplication demo = AllInOneHost.Build(["--port", "0"]);
        await using (cluster)
        await using (demo)
        {
            Assert.Equal("in-cluster", cluster.Services.GetRequiredService<Lookout.Watcher.ClusterConnection>().Cluster);
            Assert.Equal("demo", demo.Services.GetRequiredService<Lookout.Watcher.ClusterConnection>().Cluster);
        }
    }

    [Fact]
    public async Task TheWatchersCluster_IsTheNotifiersAndTheAnalyzers_UnlessTheyHaveTheirOwn()
    {
        WebApplication app = AllInOneHost.Build(["--port", "0", "--Watcher:ApiServer=http://127.0.0.1:1", "--Analyzer:ApiServer=http://127.0.0.1:2"]);
        await using (app)
        {
            Assert.Equal("http://127.0.0.1:1", app.Configuration["Notifier:ApiServer"]);
            Assert.Equal("http://127.0.0.1:2", app.Configuration["Analyzer:ApiServer"]);
            Assert.Null(app.Configuration["Notifier:ConfigPath"]); // not the demo's files
        }
    }

    [Theory]
    [InlineData("--Watcher:DemoReplayInterval=-00:00:01", "Watcher:DemoReplayInterval: must be positive")]
    [InlineData("--Publisher:BufferCapacity=0", "Publisher:BufferCapacity: must be at least 1")]
    [InlineData("--Watcher:DemoScenarioPath=/nonexistent/demo", "Watcher:DemoScenarioPath: folder '/nonexistent/demo' does not exist")]
    public async Task BadSetting_FailsAtStart_NamingTheSetting(string setting, string expected)
    {
        WebApplication app = AllInOneHost.Build(["--port", "0", setting]);
        await using (app)
        {
            OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BadBrokerUrl_FailsNamingTheSetting_WithoutEchoingThePassword()
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => AllInOneHost.Build(["--port", "0", "--rabbitmq", "http://user:s3cr3t@host/"]));
        Assert.Contains("Bus:RabbitMq:Url", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);
    }
}
