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
        ["Watcher:DemoScenarioPath"] = Path.Combine(AppContext.BaseDirectory, "demo"),
        ["Service:LogFormat"] = "Simple",
    };

    /// <summary>Creates the application; <paramref name="configure"/> lets tests add settings.</summary>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null)
    {
        WebApplicationBuilder builder = LookoutHost.CreateBuilder("lookout", args, Defaults, Switches, configure);
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
}
