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
}
