using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Assessment;

/// <summary>
/// When a metric ends and with which phase: Argo's <c>assessMetricStatus</c> and
/// <c>assessMetricFailureInconclusiveOrError</c>.
/// </summary>
public static class MetricAssessor
{
    /// <summary>The metric's phase from its counters, its limits and whether the run is terminating.</summary>
    public static AnalysisPhase Assess(Metric metric, MetricResult result, bool terminating)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Phase.IsCompleted())
        {
            return result.Phase;
        }

        if (result.Last is null)
        {
            return terminating ? AnalysisPhase.Successful : AnalysisPhase.Pending;
        }

        if (LimitReached(metric, result) is { } reached)
        {
            return reached.Phase;
        }

        int consecutiveSuccessLimit = metric.ConsecutiveSuccessLimit ?? 0;
        if (consecutiveSuccessLimit > 0 && result.ConsecutiveSuccess >= consecutiveSuccessLimit)
        {
            return AnalysisPhase.Successful;
        }

        if (metric.EffectiveCount is int count && result.Count >= count)
        {
            bool failureApplicable = metric.FailureLimit is null or >= 0;
            bool successApplicable = consecutiveSuccessLimit > 0;
            if (failureApplicable && successApplicable)
            {
                // Neither limit was reached within the count: nobody can say.
                return AnalysisPhase.Inconclusive;
            }

            return successApplicable ? AnalysisPhase.Failed : AnalysisPhase.Successful;
        }

        // Without a count the metric runs until the run is stopped.
        return terminating ? AnalysisPhase.Successful : AnalysisPhase.Running;
    }

    /// <summary>
    /// Argo's <c>assessMetricFailureInconclusiveOrError</c>: failed &gt; failureLimit (default 0, -1 disables) is
    /// Failed; inconclusive &gt; inconclusiveLimit (default 0) is Inconclusive; consecutive errors &gt;
    /// consecutiveErrorLimit (default 4) is Error. Later checks win, as in Argo.
    /// </summary>
    public static (AnalysisPhase Phase, string Message)? LimitReached(Metric metric, MetricResult result)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(result);
        (AnalysisPhase, string)? reached = null;
        int failureLimit = metric.FailureLimit ?? 0;
        if (failureLimit >= 0 && result.Failed > failureLimit)
        {
            reached = (AnalysisPhase.Failed, $"failed ({result.Failed}) > failureLimit ({failureLimit})");
        }

        int inconclusiveLimit = metric.InconclusiveLimit ?? 0;
        if (result.Inconclusive > inconclusiveLimit)
        {
            reached = (AnalysisPhase.Inconclusive, $"inconclusive ({result.Inconclusive}) > inconclusiveLimit ({inconclusiveLimit})");
        }

        int errorLimit = metric.EffectiveConsecutiveErrorLimit;
        if (result.ConsecutiveError > errorLimit)
        {
            reached = (AnalysisPhase.Error, $"consecutiveErrors ({result.ConsecutiveError}) > consecutiveErrorLimit ({errorLimit})");
        }

        return reached;
    }
}
