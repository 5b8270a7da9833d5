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
        WebApplication app = AllInOneHost.Build(["--port", "0", "--Watcher:DemoReplayInterval=00:00:00.100", .. args]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private static double Metric(string metrics, string series) =>
        metrics.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], CultureInfo.InvariantCulture)).SingleOrDefault();

    [Fact]
    public async Task OnItsDefaults_ReplaysTheDemoScenario_AndEventsFlowThroughTheBus()
    {
        (WebApplication app, HttpClient http) = await StartAsync();
        await using (app)
        using (http)
        {
            // The demo holds 13 real changes (and one reconcile-only update that publishes nothing).
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string metrics = string.Empty;
            while (!cts.IsCancellationRequested)
            {
                metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token);
                if (Metric(metrics, "lookout_watcher_events_published_total{type=\"ObjectDeleted\"}") >= 1)
                {
                    break;
                }

                await Task.Delay(50, cts.Token);
            }

            Assert.Equal(7, Metric(metrics, "lookout_watcher_events_published_total{type=\"ApplicationChanged\"}"));
            Assert.Equal(5, Metric(metrics, "lookout_watcher_events_published_total{type=\"RolloutChanged\"}"));
            Assert.Equal(1, Metric(metrics, "lookout_watcher_noise_updates_total{kind=\"Application\"}"));
            Assert.Equal(1, Metric(metrics, "lookout_watcher_leader"));

            HttpResponseMessage ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());
            HttpResponseMessage live = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.True(live.IsSuccessStatusCode);
            await app.StopAsync();
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
