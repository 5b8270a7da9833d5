using System.Diagnostics.Metrics;

namespace Lookout.Analysis.Measurement;

/// <summary>
/// The analysis domain's instruments (System.Diagnostics.Metrics, meter <c>Lookout.Analysis</c>): runs started and
/// finished by phase, measurements by metric and phase, provider errors and latency, scheduling drift.
/// </summary>
public sealed class AnalysisMeters : IDisposable
{
    public const string MeterName = "Lookout.Analysis";

    private readonly Meter meter;
    private readonly Counter<long> runsStarted;
    private readonly Counter<long> runsFinished;
    private readonly Counter<long> measurements;
    private readonly Counter<long> providerErrors;
    private readonly Histogram<double> providerLatency;
    private readonly Histogram<double> drift;

    public AnalysisMeters(IMeterFactory? factory = null)
    {
        meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        runsStarted = meter.CreateCounter<long>("runs_started_total", description: "Analysis runs started");
        runsFinished = meter.CreateCounter<long>("runs_finished_total", description: "Analysis runs finished, by phase");
        measurements = meter.CreateCounter<long>("measurements_total", description: "Measurements taken, by metric and phase");
        providerErrors = meter.CreateCounter<long>("provider_errors_total", description: "Provider readings that failed, by provider");
        providerLatency = meter.CreateHistogram<double>("provider_latency_seconds", unit: "s", description: "Time to take a measurement, by provider");
        drift = meter.CreateHistogram<double>("scheduling_drift_seconds", unit: "s", description: "How late a measurement started against its planned time");
    }

    public void RunStarted() => runsStarted.Add(1);

    public void RunFinished(AnalysisPhase phase) => runsFinished.Add(1, new KeyValuePair<string, object?>("phase", phase.ToString()));

    public void Measured(string metric, string provider, AnalysisPhase phase, TimeSpan latency)
    {
        measurements.Add(1, new("metric", metric), new("phase", phase.ToString()));
        providerLatency.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("provider", provider));
    }

    public void ProviderError(string provider) => providerErrors.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Drift(TimeSpan lateBy) => drift.Record(Math.Max(0, lateBy.TotalSeconds));

    public void Dispose() => meter.Dispose();
}
