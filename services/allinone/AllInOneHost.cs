using Lookout.Analyzer;
using Lookout.Hosting;
using Lookout.Notifier;
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
    };

    /// <summary>Creates the application; <paramref name="configure"/> lets tests add settings.</summary>
    public static WebApplication Build(string[] args, Action<ConfigurationManager>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Embedded defaults first, so that every other source overrides them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Watcher:DemoScenarioPath"] = Path.Combine(AppContext.BaseDirectory, "demo"),
                ["Watcher:Cluster"] = "demo",
                ["Service:LogFormat"] = "Simple",
            },
        });
        builder.Configuration.AddCommandLine(args, Switches.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        configure?.Invoke(builder.Configuration);

        builder.AddServiceDefaults("lookout");
        builder.Services.AddLookoutBus(builder.Configuration, bus =>
        {
            bus.AddNotifierConsumers();
            bus.AddAnalyzerConsumers();
            bus.AddWatcherConsumers();
        });
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddAnalyzer(builder.Configuration);
        builder.Services.AddWatcher(builder.Configuration);
        WebApplication app = builder.Build();
        app.MapServiceEndpoints();
        return app;
    }
}
