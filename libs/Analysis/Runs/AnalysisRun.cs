using Lookout.Analysis.Measurement;
using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Runs;

/// <summary>
/// One run of a set of metrics (Argo's <c>AnalysisRun</c>): its resolved metrics and each metric's results. Changed
/// only by <see cref="AnalysisRunner"/>; readers take a <see cref="Snapshot"/>.
/// </summary>
public sealed class AnalysisRun(string id, string description, ResolvedAnalysis analysis)
{
    private readonly Dictionary<string, MetricResult> results = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The run's id (a verdict id in gate mode).</summary>
    public string Id { get; } = id;

    /// <summary>What is being analysed, for logs and <c>/api/v1/runs</c> (for example <c>Rollout default/canary step 2</c>).</summary>
    public string Description { get; } = description;

    public ResolvedAnalysis Analysis { get; } = analysis;

    public IReadOnlyList<Metric> Metrics => Analysis.Metrics;

    public AnalysisPhase Phase { get; internal set; } = AnalysisPhase.Pending;

    public string Message { get; internal set; } = string.Empty;

    public DateTimeOffset? StartedAt { get; internal set; }

    public DateTimeOffset? CompletedAt { get; internal set; }

    /// <summary>Argo's <c>spec.terminate</c>: stop taking measurements and end with the results so far.</summary>
    public bool Terminate { get; private set; }

    internal Dictionary<string, MetricResult> Results => results;

    internal Lock Gate => gate;

    /// <summary>The result of a metric, or null before its first measurement.</summary>
    public MetricResult? ResultOf(string metric)
    {
        lock (gate)
        {
            return results.GetValueOrDefault(metric);
        }
    }

    /// <summary>Asks the run to stop (the Rollout moved on, or the service is stopping).</summary>
    public void RequestTermination() => Terminate = true;

    /// <summary>A copy of the run's state for readers.</summary>
    public RunSnapshot Snapshot()
    {
        lock (gate)
        {
            return new RunSnapshot(
                Id,
                Description,
                Phase,
                Message,
                StartedAt,
                CompletedAt,
                Metrics.Select(m => results.TryGetValue(m.Name, out MetricResult? r)
                    ? new MetricSnapshot(r.Name, r.Phase, r.Message, r.Count, r.Successful, r.Failed, r.Inconclusive, r.Error, r.ConsecutiveError, r.DryRun, [.. r.Measurements])
                    : new MetricSnapshot(m.Name, AnalysisPhase.Pending, null, 0, 0, 0, 0, 0, 0, Analysis.DryRunMetrics.Contains(m.Name), [])).ToList());
        }
    }
}

/// <summary>A run's state at one moment.</summary>
public sealed record RunSnapshot(
    string Id,
    string Description,
    AnalysisPhase Phase,
    string Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<MetricSnapshot> Metrics);

/// <summary>A metric's state at one moment.</summary>
public sealed record MetricSnapshot(
    string Name,
    AnalysisPhase Phase,
    string? Message,
    int Count,
    int Successful,
    int Failed,
    int Inconclusive,
    int Error,
    int ConsecutiveError,
    bool DryRun,
    IReadOnlyList<Measurement.Measurement> Measurements);
