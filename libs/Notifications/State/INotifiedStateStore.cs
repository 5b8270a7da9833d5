namespace Lookout.Notifications.State;

/// <summary>The object a notified state belongs to.</summary>
/// <param name="Kind"><c>Application</c>, <c>Rollout</c>…</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Uid">The object's uid.</param>
public sealed record StateOwner(string Kind, string Namespace, string Name, string Uid);

/// <summary>Where notified states are kept between events: the object's annotation (Kubernetes) or a file (embedded mode).</summary>
public interface INotifiedStateStore
{
    /// <summary>
    /// The state to evaluate an event against: the annotation the event carries, unless this store wrote a newer one
    /// for the object (an event older than our own last write must not cause a repeat).
    /// </summary>
    NotifiedState Load(StateOwner owner, string? annotationInEvent, string resourceVersion);

    /// <summary>
    /// <see cref="Load"/>, after whatever the store must read first. The Kubernetes store reads the object's annotation
    /// from the API the first time this process meets the object: after a restart (or a replica taking over) an event
    /// published before the last write carries an older annotation, and evaluating against it would repeat what that
    /// write recorded.
    /// </summary>
    Task<NotifiedState> LoadAsync(StateOwner owner, string? annotationInEvent, string resourceVersion, CancellationToken cancellationToken) =>
        Task.FromResult(Load(owner, annotationInEvent, resourceVersion));

    /// <summary>Whether the event is the echo of this store's own write (the notifier's patch coming back as a change).</summary>
    bool IsOwnWrite(StateOwner owner, string resourceVersion);

    /// <summary>Persists the state (an optimistic-concurrency patch, or a file write).</summary>
    Task SaveAsync(StateOwner owner, NotifiedState state, string resourceVersion, CancellationToken cancellationToken);
}
