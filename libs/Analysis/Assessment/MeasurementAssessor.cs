using Lookout.Analysis.Measurement;
using Lookout.Analysis.Templates;
using Lookout.Expr;

namespace Lookout.Analysis.Assessment;

/// <summary>Turns one provider result into a measurement phase from the metric's two conditions.</summary>
public interface IMeasurementAssessor
{
    /// <summary>Argo's <c>EvaluateResult</c>: Successful, Failed, Inconclusive, or Error with a message.</summary>
    (AnalysisPhase Phase, string? Message) Assess(object? result, Metric metric);
}

/// <summary>
/// Argo's <c>EvaluateResult</c>: with neither condition a measurement is Successful; with only a success condition
/// it is Failed when the condition is false; with only a failure condition it is Successful when that is false;
/// with both, Failed when the failure condition holds, Successful when only the success condition holds, and
/// Inconclusive when neither does. A condition that cannot be evaluated makes the measurement an Error.
/// </summary>
public sealed class MeasurementAssessor(AnalysisConditions conditions) : IMeasurementAssessor
{
    /// <inheritdoc/>
    public (AnalysisPhase Phase, string? Message) Assess(object? result, Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        bool success = false;
        bool failure = false;
        if (metric.SuccessCondition.Length > 0)
        {
            if (!TryEvaluate(result, metric, "successCondition", metric.SuccessCondition, out success, out string? error))
            {
                return (AnalysisPhase.Error, error);
            }
        }

        if (metric.FailureCondition.Length > 0)
        {
            if (!TryEvaluate(result, metric, "failureCondition", metric.FailureCondition, out failure, out string? error))
            {
                return (AnalysisPhase.Error, error);
            }
        }

        switch (metric.SuccessCondition.Length > 0, metric.FailureCondition.Length > 0)
        {
            case (false, false):
                return (AnalysisPhase.Successful, null);
            case (true, false):
                failure = !success;
                break;
            case (false, true):
                success = !failure;
                break;
        }

        return failure ? (AnalysisPhase.Failed, null)
            : success ? (AnalysisPhase.Successful, null)
            : (AnalysisPhase.Inconclusive, null);
    }

    private bool TryEvaluate(object? result, Metric metric, string kind, string condition, out bool value, out string? error)
    {
        try
        {
            value = conditions.Evaluate(result, condition, $"metric {metric.Name} {kind}");
            error = null;
            return true;
        }
        catch (ExprException ex)
        {
            value = false;
            error = result is null or List<object?> { Count: 0 }
                ? $"could not evaluate {kind} \"{condition}\": metric result is nil or empty: no data returned from the metric provider"
                : $"could not evaluate {kind} \"{condition}\": {ex.Reason}{Hint(result, ex)}";
            return false;
        }
    }

    /// <summary>
    /// Argo rejects comparing a Prometheus vector (a list) with a number, and its message does not say why the
    /// result is a list. The outcome stays Argo's; the message says what to write instead.
    /// </summary>
    private static string Hint(object? result, ExprException ex) =>
        result is List<object?> && ex.Reason.Contains("mismatched types", StringComparison.Ordinal)
            ? " (hint: result is a list, as a Prometheus vector gives one value per series; compare an element such as result[0], or all of them with all(result, {# < 0.05}))"
            : result is double && ex.Reason.Contains("mismatched types", StringComparison.Ordinal)
            ? " (hint: result is a number; compare it with a number, or convert with asFloat/asInt)"
            : string.Empty;
}
