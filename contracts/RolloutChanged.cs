using System.Text.Json;

namespace Lookout.Contracts;

/// <summary>
/// Version 1. An Argo Rollouts <c>Rollout</c> (argoproj.io/v1alpha1) changed in its labels, annotations, spec or
/// status, or was seen for the first time (at start and after a re-list). The message id is
/// <see cref="MessageIds.ForObjectVersion"/> of ("Rollout", uid, resourceVersion).
/// </summary>
public sealed record RolloutChanged
{
    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    public required ObjectIdentity Object { get; init; }

    public required string ResourceVersion { get; init; }

    public long Generation { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>True when this event restates the current state (initial list or re-list) rather than a watched change.</summary>
    public bool IsResync { get; init; }

    /// <summary>The whole object as the API server returned it.</summary>
    public required JsonElement Body { get; init; }

    public required RolloutSummary Summary { get; init; }
}

/// <summary>The fields of a Rollout that most consumers need.</summary>
/// <param name="Phase"><c>status.phase</c> (Progressing, Paused, Healthy, Degraded).</param>
/// <param name="Revision">The <c>rollout.argoproj.io/revision</c> annotation.</param>
/// <param name="CurrentPodHash"><c>status.currentPodHash</c>.</param>
/// <param name="StableRevision"><c>status.stableRS</c>.</param>
/// <param name="CurrentStepIndex"><c>status.currentStepIndex</c>, when the strategy is canary.</param>
/// <param name="PauseReasons">The reasons of <c>status.pauseConditions</c>.</param>
/// <param name="Aborted"><c>status.abort</c>.</param>
/// <param name="Message"><c>status.message</c>.</param>
public sealed record RolloutSummary(
    string? Phase,
    string? Revision,
    string? CurrentPodHash,
    string? StableRevision,
    int? CurrentStepIndex,
    IReadOnlyList<string> PauseReasons,
    bool Aborted,
    string? Message);
