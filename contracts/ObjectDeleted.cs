using System.Text.Json;

namespace Lookout.Contracts;

/// <summary>
/// Version 1. A watched object was deleted (a DELETED watch event, or gone from a re-list). The message id is
/// <see cref="MessageIds.ForObjectVersion"/> of (Kind + "Deleted", uid, resourceVersion).
/// </summary>
public sealed record ObjectDeleted
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary><c>Application</c> or <c>Rollout</c>.</summary>
    public required string Kind { get; init; }

    public required ObjectIdentity Object { get; init; }

    /// <summary>The resourceVersion of the deletion, or of the last version seen when the deletion was found by a re-list.</summary>
    public required string ResourceVersion { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>The last state of the object that the watcher knew.</summary>
    public JsonElement? LastKnownBody { get; init; }
}
