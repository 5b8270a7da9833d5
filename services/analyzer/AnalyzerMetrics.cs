using Lookout.Contracts;
using Prometheus;

namespace Lookout.Analyzer;

/// <summary>
/// The analyzer service's own metrics, in the host's registry: verdicts published, the figure the chart's
/// <c>LookoutAnalyzerVerdictAborts</c> alert and dashboard read. The analysis domain's meter
/// (<c>lookout_analysis_*</c>, runs and measurements) is exported beside them by <see cref="Hosting.HostMetrics"/>.
/// </summary>
public sealed class AnalyzerMetrics(IMetricFactory factory)
{
    private readonly Counter verdicts = factory.CreateCounter(
        "lookout_analyzer_verdicts_total", "Verdicts published, by verdict (promote, abort, inconclusive) and mode (gate, shadow, request).", ["verdict", "mode"]);

    /// <summary>Counts one published verdict.</summary>
    public void Verdict(Verdict verdict, string mode) => verdicts.WithLabels(verdict.ToString().ToLowerInvariant(), mode).Inc();
}
