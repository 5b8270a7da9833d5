namespace Lookout.Contracts;

/// <summary>
/// Version 1. A consumer of the watcher's events asks for the current state of every watched object: its queues
/// have just been declared and bound (at start, or after the broker connection recovered), so events published
/// before may have found no queue. Every watcher replica receives it; the leader answers by re-listing and
/// publishing every object again with <c>IsResync = true</c> (requests close together are coalesced).
/// </summary>
public sealed record ResyncRequested
{
    /// <summary>Why a consumer asks once its queues are ready at start.</summary>
    public const string Started = "started";

    /// <summary>Why a consumer asks after its queues were declared again (the broker connection recovered).</summary>
    public const string Reconnected = "reconnected";

    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The asking service (<c>notifier</c>, <c>analyzer</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The asking instance (its pod or host name and process id).</summary>
    public required string Instance { get; init; }

    /// <summary>Why it asks: <see cref="Started"/> or <see cref="Reconnected"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>The kinds it needs (<c>Application</c>, <c>Rollout</c>); empty for all.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    public required DateTimeOffset RequestedAt { get; init; }
}
