namespace Lookout.Watcher.Publishing;

/// <summary>
/// The seam between what the watcher sees and the bus. The Kubernetes side turns watch events into contract
/// messages and hands them here; the bus side holds them in a bounded buffer and publishes them with confirms.
/// </summary>
public interface IEventPublisher
{
    /// <summary>
    /// Accepts an event into the outgoing buffer. Completes once the event is held; while the buffer is full it
    /// does not complete (back-pressure: the caller stops reading its watch). Never drops an event silently.
    /// </summary>
    ValueTask EnqueueAsync(OutgoingEvent outgoing, CancellationToken cancellationToken);

    /// <summary>Completes when every event accepted so far has been published (or given up, which is logged).</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>One message bound for the bus.</summary>
/// <param name="MessageId">Derived from (kind, uid, resourceVersion), so a re-publish carries the same id.</param>
/// <param name="Message">An <c>ApplicationChanged</c>, <c>RolloutChanged</c> or <c>ObjectDeleted</c>.</param>
/// <param name="ObjectKey">
/// The object the event is about (<c>{kind}/{uid}</c>): events with the same key are published one after another,
/// in the order they were accepted.
/// </param>
/// <param name="Description">The object in words for logs, such as <c>Application argocd/guestbook</c>.</param>
public sealed record OutgoingEvent(Guid MessageId, object Message, string ObjectKey, string Description);
