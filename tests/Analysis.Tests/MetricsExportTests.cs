using Lookout.Analysis.Measurement;
using Lookout.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Analysis.Tests;

/// <summary>The analyzer's verdict counter and the analysis domain's meter reach the host's <c>/metrics</c> registry, and only its own host's.</summary>
public sealed class MetricsExportTests
{
    private static ServiceProvider Host()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<HostMetrics>();
        services.AddSingleton<AnalysisMeters>();
        services.AddSingleton(sp => new Lookout.Analyzer.AnalyzerMetrics(sp.GetRequiredService<HostMetrics>().Factory));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task VerdictsAndRuns_AreServedByTheHostsRegistry_AndNotByAnotherHosts()
    {
        await using ServiceProvider first = Host();
        await using ServiceProvider second = Host();
        HostMetrics firstMetrics = first.GetRequiredService<HostMetrics>();
        HostMetrics secondMetrics = second.GetRequiredService<HostMetrics>();
        AnalysisMeters meters = first.GetRequiredService<AnalysisMeters>();
        _ = second.GetRequiredService<AnalysisMeters>();

        Lookout.Analyzer.AnalyzerMetrics verdicts = first.GetRequiredService<Lookout.Analyzer.AnalyzerMetrics>();
        verdicts.Verdict(Contracts.Verdict.Abort, "gate");
        verdicts.Verdict(Contracts.Verdict.Abort, "gate");
        verdicts.Verdict(Contracts.Verdict.Promote, "gate");
        meters.RunStarted();

        // The names the chart's alert and dashboard read, and the meter's instruments under the meter's prefix.
        Assert.Equal(2, await firstMetrics.ReadAsync("lookout_analyzer_verdicts_total{verdict=\"abort\",mode=\"gate\"}"));
        Assert.Equal(1, await firstMetrics.ReadAsync("lookout_analyzer_verdicts_total{verdict=\"promote\",mode=\"gate\"}"));
        Assert.Equal(1, await firstMetrics.ReadAsync("lookout_analysis_runs_started_total"));
        Assert.Null(await secondMetrics.ReadAsync("lookout_analysis_runs_started_total"));
    }
}
