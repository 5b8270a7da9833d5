using System.Text.Json;

namespace Lookout.Contracts;

/// <summary>
/// Version 1. An Argo CD <c>Application</c> (argoproj.io/v1alpha1) changed in its labels, annotations, spec or
/// status, or was seen for the first time (at start and after a re-list). Published by the watcher; the message
/// id is <see cref="MessageIds.ForObjectVersion"/> of ("Application", uid, resourceVersion).
/// </summary>
public sealed record ApplicationChanged
{
    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    public required ObjectIdentity Object { get; init; }

    /// <summary><c>metadata.resourceVersion</c> of the observed object.</summary>
    public required string ResourceVersion { get; init; }

    /// <summary><c>metadata.generation</c>, 0 when absent.</summary>
    public long Generation { get; init; }

    /// <summary>When the watcher observed this version.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>True when this event restates the current state (initial list or re-list) rather than a watched change.</summary>
    public bool IsResync { get; init; }

    /// <summary>The whole object as the API server returned it, so a trigger can read any field.</summary>
    public required JsonElement Body { get; init; }

    public required ApplicationSummary Summary { get; init; }
}

/// <summary>The fields of an Application that most consumers need, read from its status.</summary>
/// <param name="SyncStatus"><c>status.sync.status</c> (Synced, OutOfSync, Unknown).</param>
/// <param name="HealthStatus"><c>status.health.status</c> (Healthy, Progressing, Degraded, Suspended, Missing, Unknown).</param>
/// <param name="OperationPhase"><c>status.operationState.phase</c> (Running, Succeeded, Failed, Error, Terminating), when an operation ran.</param>
/// <param name="Revision"><c>status.sync.revision</c>, or the first of <c>status.sync.revisions</c> for a multi-source Application.</param>
/// <param name="Deleting">True when <c>metadata.deletionTimestamp</c> is set.</param>
public sealed record ApplicationSummary(
    string? SyncStatus,
    string? HealthStatus,
    string? OperationPhase,
    string? Revision,
    bool Deleting);
