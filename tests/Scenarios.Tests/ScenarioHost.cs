using System.Text.Json.Nodes;
using Lookout.Analyzer.Runs;
using Lookout.Testing.Http;
using Lookout.Watcher;
using Lookout.Watcher.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Scenarios.Tests;

/// <summary>One Slack message the scenario produced: the channel and the text.</summary>
public sealed record SlackMessage(string Channel, string Text)
{
    public override string ToString() => $"{(Channel.Length == 0 ? "(default)" : "#" + Channel)}: {Text.Split('\n')[0]}";
}

/// <summary>
/// The all-in-one host playing one scenario folder (bundled next to the tests as <c>scenarios/NAME</c>) on the
/// seed's configuration, whose Slack service is pointed at a local receiver that answers as Slack does. The
/// scenario gets a last step, an Application subscribed to the catalog's <c>on-created</c> on channel
/// <c>scenario-end</c>: once that message arrived, every earlier step (played earlier, one interval apart) has
/// been notified.
/// </summary>
public sealed class ScenarioHost : IAsyncDisposable
{
    private const string EndChannel = "scenario-end";
    private readonly string folder;
    private readonly HttpReceiver slack;
    private readonly WebApplication app;

    private ScenarioHost(string folder, HttpReceiver slack, WebApplication app)
    {
        this.folder = folder;
        this.slack = slack;
        this.app = app;
    }

    /// <summary>The bundled scenarios (a copy of the repository's <c>scenarios/</c>).</summary>
    public static string Bundle => Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>The replay, to see which steps played.</summary>
    public ScenarioWatchSource Replay => (ScenarioWatchSource)app.Services.GetRequiredService<ClusterConnection>().Source;

    /// <summary>The analyzer's runs.</summary>
    public RunRegistry Runs => app.Services.GetRequiredService<RunRegistry>();

    /// <summary>Starts the host on a copy of scenario <paramref name="name"/>.</summary>
    public static async Task<ScenarioHost> StartAsync(string name)
    {
        string folder = Directory.CreateTempSubdirectory($"lookout-scenario-{name}-").FullName;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Bundle, name)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, "999-scenario-end.yaml"), $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: scenario-end
              namespace: argocd
              annotations:
                notifications.argoproj.io/subscribe.on-created.slack: {EndChannel}
            spec:
              project: default
            status:
              sync: {"{"}status: Synced{"}"}
              health: {"{"}status: Healthy{"}"}
            """);

        HttpReceiver slack = await HttpReceiver.StartAsync();
        string config = Path.Combine(folder, "notifications.yaml");
        File.WriteAllText(config, SeedConfigWithSlackAt(slack.SlackApiUrl));
        WebApplication app = Lookout.AllInOne.AllInOneHost.Build(
        [
            "--port", "0",
            "--scenario", folder,
            "--Watcher:DemoReplayInterval=00:00:00.300",
            $"--Notifier:ConfigPath={config}",
            $"--Notifier:ProjectsPath={folder}",
            $"--Analyzer:TemplatesPath={Bundle}",
            $"--Analyzer:Demo:ScenarioPath={folder}",
            "--Analyzer:Demo:Prometheus=http://127.0.0.1:1",
            "--Analyzer:Demo:TimeScale=100",
            "--Notifier:Delivery:SlackChannelInterval=00:00:00",
        ]);
        await app.StartAsync();
        return new ScenarioHost(folder, slack, app);
    }

    /// <summary>
    /// The seed's ConfigMap and Secret (<c>scenarios/notifications.yaml</c>) with one change: the Slack service
    /// talks to the local receiver (<c>apiURL</c>) with a bot token, as a Slack app would.
    /// </summary>
    public static string SeedConfigWithSlackAt(string apiUrl)
    {
        string seed = File.ReadAllText(Path.Combine(Bundle, "notifications.yaml"));
        const string service = "  service.slack: |\n    token: $slack-token\n";
        Assert.Contains(service, seed, StringComparison.Ordinal);
        return seed.Replace(service, service + $"    apiURL: {apiUrl}\n", StringComparison.Ordinal)
            .Replace("slack-token: https://hooks.slack.com/services/T00/B00/XXX", "slack-token: xoxb-scenario-test", StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits for the scenario's end marker and at least <paramref name="expected"/> other messages (deliveries to
    /// different channels overtake one another), then returns every Slack message but the marker, in arrival order.
    /// </summary>
    public async Task<IReadOnlyList<SlackMessage>> MessagesAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            IReadOnlyList<SlackMessage> all = Parse(slack.Requests);
            if (all.Any(m => m.Channel == EndChannel) && all.Count(m => m.Channel != EndChannel) >= expected)
            {
                return [.. all.Where(m => m.Channel != EndChannel)];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the scenario did not end within 60 s; received: {string.Join(" | ", all)}");
            }

            try
            {
                await slack.WaitForRequestsAsync(slack.Requests.Count + 1, deadline - DateTime.UtcNow).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more to report what arrived.
            }
        }
    }

    /// <summary>Waits until a step of the scenario played (by file name).</summary>
    public async Task WaitForStepAsync(string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Replay.Played.Any(e => Replay.Scenarios[0].Steps[e.Step].File == file))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"step {file} did not play; played: {string.Join(", ", Replay.Played.Select(e => Replay.Scenarios[0].Steps[e.Step].File))}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>The step files that played, in order.</summary>
    public IReadOnlyList<string> PlayedSteps() => [.. Replay.Played.Select(e => Replay.Scenarios[0].Steps[e.Step].File).Distinct()];

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await slack.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static List<SlackMessage> Parse(IReadOnlyList<ReceivedRequest> requests) =>
        [.. requests.Where(r => r.Path.EndsWith("chat.postMessage", StringComparison.Ordinal))
            .Select(r => r.Json as JsonObject)
            .Where(j => j is not null)
            .Select(j => new SlackMessage((string?)j!["channel"] ?? string.Empty, (string?)j["text"] ?? string.Empty))];
}
