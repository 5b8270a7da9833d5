using System.Text.Json;

namespace Lookout.Contracts;

/// <summary>
/// Version 1. A Kubernetes <c>Event</c> (core/v1) about an Argo Rollouts <c>Rollout</c> or <c>AnalysisRun</c> was
/// recorded, or recorded again (its <c>count</c> went up): one occurrence of what the Rollouts controller reports,
/// such as <c>RolloutCompleted</c> or <c>AnalysisRunFailed</c>. Argo Rollouts notifies from these occurrences: the
/// reason names the trigger (<c>RolloutCompleted</c> → <c>on-rollout-completed</c>). The message id is
/// <see cref="MessageIds.ForObjectVersion"/> of ("Event", event uid, count), so each occurrence has one id however
/// often it is published. Ordered per Rollout (<see cref="Rollout"/>), with the Rollout's other messages' routing key.
/// </summary>
public sealed record RolloutEventRecorded
{
    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>
    /// The Rollout the event is about: the involved Rollout, or the owner of the involved AnalysisRun (its
    /// <c>ownerReferences</c>); the AnalysisRun itself when it has no Rollout owner or could not be read.
    /// </summary>
    public required ObjectIdentity Rollout { get; init; }

    /// <summary>The Event's <c>involvedObject</c>.</summary>
    public required EventInvolvedObject InvolvedObject { get; init; }

    /// <summary>The Event's <c>metadata.uid</c>.</summary>
    public required string EventUid { get; init; }

    /// <summary>The Event's <c>metadata.name</c>.</summary>
    public required string EventName { get; init; }

    /// <summary>The Event's <c>metadata.resourceVersion</c> when this occurrence was seen.</summary>
    public required string EventResourceVersion { get; init; }

    /// <summary><c>reason</c>, such as <c>RolloutCompleted</c>.</summary>
    public required string Reason { get; init; }

    /// <summary><c>message</c>.</summary>
    public string? Message { get; init; }

    /// <summary><c>type</c>: <c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; init; }

    /// <summary>How many times the event has occurred (<c>count</c>, or <c>series.count</c>; 1 when absent).</summary>
    public int Count { get; init; } = 1;

    /// <summary><c>firstTimestamp</c> (or <c>eventTime</c>).</summary>
    public DateTimeOffset? FirstTimestamp { get; init; }

    /// <summary><c>lastTimestamp</c> (or <c>series.lastObservedTime</c>, or <c>eventTime</c>).</summary>
    public DateTimeOffset? LastTimestamp { get; init; }

    /// <summary><c>source.component</c> (or <c>reportingComponent</c>), such as <c>rollouts-controller</c>.</summary>
    public string? Component { get; init; }

    /// <summary>When the watcher saw the occurrence.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>
    /// The involved object as the watcher knew it when the event arrived (the Rollout as last watched, or the
    /// AnalysisRun as read then); null when it could not be found (deleted meanwhile).
    /// </summary>
    public JsonElement? ObjectBody { get; init; }

    /// <summary>
    /// For an Event on a Rollout, Argo Rollouts' <c>analysisRuns</c>: the AnalysisRuns of the Rollout's current pod
    /// template hash and revision, newest first, when the Event arrived; null when there are none (as upstream's nil).
    /// </summary>
    public JsonElement? AnalysisRuns { get; init; }
}

/// <summary>The object an Event is about (core/v1 <c>ObjectReference</c>).</summary>
/// <param name="Kind"><c>Rollout</c> or <c>AnalysisRun</c>.</param>
/// <param name="ApiVersion">Such as <c>argoproj.io/v1alpha1</c>.</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Uid">The object's uid (may be empty).</param>
public sealed record EventInvolvedObject(string Kind, string? ApiVersion, string Namespace, string Name, string? Uid);
