namespace Lookout.Contracts;

/// <summary>What an analysis concluded about a rollout revision.</summary>
public enum Verdict
{
    /// <summary>Every metric was successful: let the rollout continue.</summary>
    Promote,

    /// <summary>A metric failed past its failure limit: abort the rollout.</summary>
    Abort,

    /// <summary>The run ended inconclusive: pause for a human.</summary>
    Inconclusive,
}

/// <summary>
/// Version 1. The analyzer's vote on one revision of a Rollout, from one AnalysisRun. The watcher applies it to
/// the Rollout (promote or abort). Filled in by the analysis issues.
/// </summary>
public sealed record AnalysisVerdict
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The Rollout the run judged.</summary>
    public required ObjectIdentity Rollout { get; init; }

    /// <summary>The id of the AnalysisRun.</summary>
    public required string RunId { get; init; }

    /// <summary>The rollout revision (the <c>rollout.argoproj.io/revision</c> annotation) the run judged.</summary>
    public required string RolloutRevision { get; init; }

    public required Verdict Verdict { get; init; }

    /// <summary>Why, in a sentence a human reads in Slack (which metric, which measurement).</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>Added in version 1.1. The Rollout's pod-template hash (<c>status.currentPodHash</c>) that was judged.</summary>
    public string? PodTemplateHash { get; init; }

    /// <summary>Added in version 1.1. The canary step index that was judged; null for a blue-green promotion or a request.</summary>
    public int? Step { get; init; }

    /// <summary>Added in version 1.1. <c>gate</c> (the watcher applies it), <c>shadow</c> (compare only) or <c>request</c>.</summary>
    public string Mode { get; init; } = AnalysisModes.Gate;

    /// <summary>Added in version 1.1. The run's phase as Argo names it (Successful, Failed, Error, Inconclusive).</summary>
    public string? Phase { get; init; }

    /// <summary>Added in version 1.1. Each metric's outcome.</summary>
    public IReadOnlyList<MetricOutcome> Metrics { get; init; } = [];

    /// <summary>Added in version 1.1. The request this verdict answers (request mode).</summary>
    public Guid? RequestId { get; init; }

    /// <summary>
    /// Added in version 1.2. Shadow mode: which of the Rollout's own analyses was run beside Argo's (<c>step</c>,
    /// <c>background</c>, <c>prePromotion</c>, <c>postPromotion</c>); null in the other modes.
    /// </summary>
    public string? Analysis { get; init; }

    /// <summary>
    /// Added in version 1.2. Shadow mode: the name of Argo's own AnalysisRun for the same point
    /// (<c>rollout-hash-revision[-step|-pre|-post]</c>), to compare the two.
    /// </summary>
    public string? ArgoAnalysisRun { get; init; }
}

/// <summary>Where a verdict comes from, and whether the watcher acts on it.</summary>
public static class AnalysisModes
{
    /// <summary>The Rollout asked for the analysis with annotations; the watcher promotes or aborts.</summary>
    public const string Gate = "gate";

    /// <summary>The Rollout has its own analysis; the verdict is for comparison and is never applied.</summary>
    public const string Shadow = "shadow";

    /// <summary>Someone sent an <see cref="AnalysisRequested"/>; the verdict is an answer, never applied.</summary>
    public const string Request = "request";
}

/// <summary>One metric's outcome in a verdict (Argo's <c>MetricResult</c> counters).</summary>
public sealed record MetricOutcome(
    string Name,
    string Phase,
    string? Message,
    int Successful,
    int Failed,
    int Inconclusive,
    int Error,
    int ConsecutiveError,
    bool DryRun);
