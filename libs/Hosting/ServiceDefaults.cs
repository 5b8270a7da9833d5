using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Lookout.Hosting;

/// <summary>
/// What every Lookout service has: configuration from appsettings, environment variables and an optional mounted
/// file, JSON logs, health endpoints and Prometheus metrics on one port.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The environment variable naming an optional mounted configuration file (JSON).</summary>
    public const string ConfigFileVariable = "LOOKOUT_CONFIG";

    /// <summary>The tag of health checks that must pass before a service is ready (MassTransit tags its bus check so).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds configuration sources, logging, health checks and the listening address of <see cref="ServiceOptions"/>.
    /// Throws at once when <c>Service:*</c> is invalid, since the address is needed before the host is built.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string? file = Environment.GetEnvironmentVariable(ConfigFileVariable);
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{ConfigFileVariable} names '{file}', which does not exist", file);
            }

            // After appsettings and before environment variables and the command line, which stay the strongest.
            var source = new JsonConfigurationSource { Path = Path.GetFullPath(file), Optional = false };
            source.ResolveFileProvider();
            builder.Configuration.Sources.Insert(IndexAfterAppSettings(builder.Configuration), source);
        }

        ServiceOptions service = ValidatedOptions.BindNow<ServiceOptions>(builder.Configuration, ServiceOptions.SectionName, ServiceOptions.Check);
        builder.Logging.ClearProviders();
        if (service.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.UseUtcTimestamp = true;
            });
        }

        // Request logs of probes and scrapes are noise; a configured Logging:LogLevel still wins.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{service.Address}:{service.Port}");
        builder.Services.AddBoundOptions(service);
        builder.Services.AddHealthChecks();
        builder.Services.TryAddSingleton<HostMetrics>();
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        return builder;
    }

    /// <summary>
    /// Maps <c>/healthz</c> (the process is alive: no check runs, so it stays cheap), <c>/readyz</c> (every check
    /// tagged <see cref="ReadyTag"/> passes) and <c>/metrics</c> (the host's own <see cref="HostMetrics"/> registry).
    /// </summary>
    public static WebApplication MapServiceEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadiness,
        });
        app.MapMetrics("/metrics", app.Services.GetRequiredService<HostMetrics>().Registry);
        return app;
    }

    private static int IndexAfterAppSettings(ConfigurationManager configuration)
    {
        int index = 0;
        for (int i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is JsonConfigurationSource)
            {
                index = i + 1;
            }
        }

        return index;
    }

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.Select(e => $"{e.Key}: {e.Value.Status}{(e.Value.Description is null ? string.Empty : " (" + e.Value.Description + ")")}");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join('\n', lines)}\n");
    }
}

/// <summary>The name of the service a host runs (<c>watcher</c>, <c>notifier</c>, <c>analyzer</c>, or <c>lookout</c> for all three).</summary>
public sealed record ServiceIdentity(string Name);
