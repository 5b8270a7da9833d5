using Lookout.AllInOne.Inbox;
using Lookout.Analyzer;
using Lookout.Hosting;
using Lookout.Notifier;
using Lookout.Notifier.Delivery;
using Lookout.Watcher;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Lookout.AllInOne;

/// <summary>Builds the one-process host: watcher, notifier and analyzer on one bus.</summary>
public static class AllInOneHost
{
    /// <summary>Command-line switches that name settings (<c>--kubeconfig ~/.kube/config</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--kubeconfig"] = "Watcher:Kubeconfig",
        ["--rabbitmq"] = "Bus:RabbitMq:Url",
        ["--scenario"] = "Watcher:DemoScenarioPath",
        ["--port"] = "Service:Port",
        ["--repo-answers"] = "Notifier:RepoServer:AnswersPath",
    };

    /// <summary>
    /// The embedded defaults: the bundled demo scenario (used only when no cluster is configured; its events are
    /// stamped cluster <c>demo</c> by the demo source itself) and readable logs.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Watcher:DemoScenarioPath"] = Path.Combine(AppContext.BaseDirectory, "scenarios"),
        ["Notifier:ProjectsPath"] = Path.Combine(AppContext.BaseDirectory, "scenarios"),
        ["Service:LogFormat"] = "Simple",
    };

    /// <summary>
    /// The demo's defaults, used only when no cluster is configured (they would otherwise replace the cluster's
    /// ConfigMap and AnalysisTemplates): the seed's notification ConfigMap and AnalysisTemplates as copied into
    /// <c>scenarios/</c>, the scenarios' local endpoints and recorded measurements, and analysis runs 10 times faster.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> DemoDefaults = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Notifier:ConfigPath"] = Path.Combine(AppContext.BaseDirectory, "scenarios", "notifications.yaml"),
        ["Analyzer:TemplatesPath"] = Path.Combine(AppContext.BaseDirectory, "scenarios"),
        ["Analyzer:Demo:ScenarioPath"] = Path.Combine(AppContext.BaseDirectory, "scenarios"),
        ["Analyzer:Demo:TimeScale"] = "10",
    };

    /// <summary>Creates the application; <paramref name="configure"/> lets tests add settings.</summary>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null)
    {
        WebApplicationBuilder builder = LookoutHost.CreateBuilder("lookout", args, Defaults, Switches, configure);
        ApplyDemoDefaults(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus =>
        {
            bus.AddNotifierConsumers();
            bus.AddAnalyzerConsumers();
            bus.AddWatcherConsumers();
        });
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddAnalyzer(builder.Configuration);
        builder.Services.AddWatcher(builder.Configuration);
        builder.Services.AddInboxPage(builder.Configuration);
        return LookoutHost.Build(builder, app =>
        {
            app.MapNotifierEndpoints();
            app.MapAnalyzerEndpoints();
            app.MapInboxPage();
        });
    }

    /// <summary>Fills the unset <see cref="DemoDefaults"/> when the watcher has no cluster to watch.</summary>
    private static void ApplyDemoDefaults(ConfigurationManager configuration)
    {
        bool cluster = !string.IsNullOrWhiteSpace(configuration["Watcher:Kubeconfig"]) || !string.IsNullOrWhiteSpace(configuration["Watcher:ApiServer"])
            || k8s.KubernetesClientConfiguration.IsInCluster();
        if (cluster)
        {
            // One process, one cluster: the notifier (its ConfigMap, state annotations, AppProjects) and the analyzer
            // (AnalysisTemplates, Secrets, the Rollouts listed at start) talk to the cluster the watcher watches,
            // unless they are given their own.
            foreach (string setting in (string[])["Kubeconfig", "ApiServer"])
            {
                string? value = configuration["Watcher:" + setting];
                foreach (string section in (string[])["Notifier", "Analyzer"])
                {
                    if (!string.IsNullOrWhiteSpace(value) && string.IsNullOrWhiteSpace(configuration[$"{section}:{setting}"]))
                    {
                        configuration[$"{section}:{setting}"] = value;
                    }
                }
            }

            return;
        }

        // On the bundled configuration (the seed's placeholder Slack settings) nothing is sent out: the inbox shows it all.
        if (string.IsNullOrEmpty(configuration["Notifier:ConfigPath"]) && string.IsNullOrEmpty(configuration["Inbox:CaptureAll"]))
        {
            configuration["Inbox:CaptureAll"] = "true";
        }

        foreach ((string key, string? value) in DemoDefaults)
        {
            if (string.IsNullOrEmpty(configuration[key]))
            {
                configuration[key] = value;
            }
        }
    }
}
