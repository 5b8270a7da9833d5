using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Providers.Prometheus;
using Lookout.Analysis.Providers.Recorded;
using Lookout.Analysis.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Analyzer.Demo;

/// <summary>The analyzer's demo parts, added only when <c>Analyzer:Demo:ScenarioPath</c> is set.</summary>
public static class DemoComposition
{
    /// <summary>
    /// Registers, ahead of the defaults they replace: host aliases for the providers' HTTP clients, the local
    /// health endpoint, Prometheus with recorded measurements as fallback, and the runs' faster clock.
    /// </summary>
    public static IServiceCollection AddAnalysisDemo(this IServiceCollection services, IConfiguration configuration)
    {
        var demo = new DemoOptions();
        configuration.GetSection("Analyzer:Demo").Bind(demo);
        if (!demo.Enabled)
        {
            return services;
        }

        services.AddSingleton(demo);
        services.AddSingleton<HostAliases>();
        services.AddSingleton(sp => new ProviderHttp(sp.GetRequiredService<HostAliases>()));
        services.AddSingleton<DemoEndpoints>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DemoEndpoints>());
        services.AddSingleton(_ => RecordedMeasurements.Load(demo.ScenarioPath));
        services.AddSingleton<IMetricProvider>(sp => new RecordedPrometheusProvider(
            new PrometheusProvider(sp.GetRequiredService<ProviderHttp>()), sp.GetRequiredService<RecordedMeasurements>(), demo.Prometheus));
        if (demo.TimeScale != 1)
        {
            services.AddSingleton<IMeasurementTaker>(sp => new MeasurementTaker(
                sp.GetRequiredService<MetricProviders>(), sp.GetRequiredService<IMeasurementAssessor>(), sp.GetRequiredService<ScaledClock>().Time, sp.GetService<AnalysisMeters>()));
            services.AddSingleton(sp => new ScaledClock(new ScaledTimeProvider(sp.GetRequiredService<TimeProvider>(), demo.TimeScale)));
            services.AddSingleton(sp => new AnalysisRunner(sp.GetRequiredService<IMeasurementTaker>(), sp.GetRequiredService<ScaledClock>().Time, sp.GetService<AnalysisMeters>()));
        }

        return services;
    }

    /// <summary>The runs' clock in the demo.</summary>
    private sealed record ScaledClock(TimeProvider Time);
}
