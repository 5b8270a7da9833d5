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
}

/// <summary>One message bound for the bus.</summary>
/// <param name="MessageId">Derived from (kind, uid, resourceVersion), so a re-publish carries the same id.</param>
/// <param name="Message">An <c>ApplicationChanged</c>, <c>RolloutChanged</c> or <c>ObjectDeleted</c>.</param>
/// <param name="Description">The object in words for logs, such as <c>Application argocd/guestbook</c>.</param>
public sealed record OutgoingEvent(Guid MessageId, object Message, string Description);
