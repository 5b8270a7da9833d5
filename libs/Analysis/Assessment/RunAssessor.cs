using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Assessment;

/// <summary>
/// How a run's phase follows from its metrics (Argo's <c>assessRunStatus</c>): Running until every metric has
/// completed, then the worst phase of the metrics that are not in dry-run (Successful when all are dry-run). A
/// terminating run ends with the worst phase so far. The message names the worst metric and why.
/// </summary>
public static class RunAssessor
{
    /// <summary>Assesses every metric (updating its phase and message) and returns the run's phase and message.</summary>
    public static (AnalysisPhase Phase, string Message) Assess(
        IReadOnlyList<Metric> metrics,
        IReadOnlyDictionary<string, MetricResult> results,
        bool terminate)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(results);
        AnalysisPhase? worst = null;
        string worstMessage = terminate ? "Run Terminated" : string.Empty;
        bool everythingCompleted = true;
        bool terminating = terminate || IsTerminating(results.Values);
        foreach (Metric metric in metrics)
        {
            if (!results.TryGetValue(metric.Name, out MetricResult? result))
            {
                // Not measured yet (an initialDelay).
                everythingCompleted = false;
                continue;
            }

            AnalysisPhase status = MetricAssessor.Assess(metric, result, terminating);
            if (result.Phase != status)
            {
                result.Message = result.Last?.Message;
                result.Phase = status;
            }

            if (!status.IsCompleted())
            {
                everythingCompleted = false;
                continue;
            }

            var reached = MetricAssessor.LimitReached(metric, result);
            if (!result.DryRun)
            {
                if (worst is null || status.IsWorseThan(worst.Value))
                {
                    worst = status;
                    if (reached is { } r)
                    {
                        worstMessage = $"Metric \"{metric.Name}\" assessed {status} due to {r.Message}";
                        if (!string.IsNullOrEmpty(result.Message))
                        {
                            worstMessage += $": \"Error Message: {result.Message}\"";
                        }
                    }
                }
            }
            else
            {
                worst ??= AnalysisPhase.Successful;
                if (reached is { } r)
                {
                    result.Message = $"Metric assessed {status} due to {r.Message}";
                }
            }
        }

        worstMessage = worstMessage.Trim();
        if (terminating)
        {
            return (worst ?? AnalysisPhase.Successful, worstMessage);
        }

        return !everythingCompleted || worst is null ? (AnalysisPhase.Running, string.Empty) : (worst.Value, worstMessage);
    }

    /// <summary>
    /// Argo's <c>IsTerminating</c> without an explicit terminate: a metric not in dry-run has ended Failed, Error or
    /// Inconclusive, so no new measurements are scheduled.
    /// </summary>
    public static bool IsTerminating(IEnumerable<MetricResult> results) =>
        results.Any(r => !r.DryRun && r.Phase is AnalysisPhase.Failed or AnalysisPhase.Error or AnalysisPhase.Inconclusive);
}
