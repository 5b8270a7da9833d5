namespace Lookout.Analysis.Measurement;

/// <summary>Argo Rollouts' <c>AnalysisPhase</c>: of a measurement, a metric and a run.</summary>
public enum AnalysisPhase
{
    Pending,
    Running,
    Successful,
    Failed,
    Error,
    Inconclusive,
}

/// <summary>Helpers over <see cref="AnalysisPhase"/>, as Argo defines them.</summary>
public static class AnalysisPhases
{
    /// <summary>Argo's <c>Completed()</c>: Successful, Failed, Error or Inconclusive.</summary>
    public static bool IsCompleted(this AnalysisPhase phase) =>
        phase is AnalysisPhase.Successful or AnalysisPhase.Failed or AnalysisPhase.Error or AnalysisPhase.Inconclusive;

    /// <summary>
    /// Argo's <c>IsWorse</c>: the order from best to worst is Successful, Running, Pending, Inconclusive, Error,
    /// Failed.
    /// </summary>
    public static bool IsWorseThan(this AnalysisPhase candidate, AnalysisPhase current) => Rank(candidate) > Rank(current);

    private static int Rank(AnalysisPhase phase) => phase switch
    {
        AnalysisPhase.Successful => 0,
        AnalysisPhase.Running => 1,
        AnalysisPhase.Pending => 2,
        AnalysisPhase.Inconclusive => 3,
        AnalysisPhase.Error => 4,
        AnalysisPhase.Failed => 5,
        _ => 0,
    };
}
