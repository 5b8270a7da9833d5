using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Lookout.Hosting;

/// <summary>
/// The one way a Lookout entry point (watcher, notifier, analyzer, all-in-one) builds its host: configuration,
/// logging, health, a metrics registry of its own, and staged start and stop (<see cref="HostStage"/>).
/// </summary>
public static class LookoutHost
{
    /// <summary>
    /// Creates the builder of service <paramref name="serviceName"/>. <paramref name="defaults"/> are the weakest
    /// settings (every other source overrides them); <paramref name="switches"/> maps command-line switches to
    /// settings; <paramref name="configure"/> lets tests add settings before they are read.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        string serviceName,
        string[] args,
        IReadOnlyDictionary<string, string?>? defaults = null,
        IReadOnlyDictionary<string, string>? switches = null,
        Action<ConfigurationManager>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (defaults is not null)
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        }

        if (switches is not null)
        {
            builder.Configuration.AddCommandLine(args, switches.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        }

        configure?.Invoke(builder.Configuration);
        builder.AddServiceDefaults(serviceName);
        return builder;
    }

    /// <summary>Builds the application and maps <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder, Action<WebApplication>? mapEndpoints = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WebApplication app = builder.Build();
        app.MapServiceEndpoints();
        mapEndpoints?.Invoke(app);
        return app;
    }

    /// <summary>Builds, runs until stopped (SIGTERM, Ctrl+C) and disposes the host.</summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication>? mapEndpoints = null)
    {
        await using WebApplication app = Build(builder, mapEndpoints);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
