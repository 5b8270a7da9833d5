using Lookout.Contracts;
using Lookout.Notifier.Delivery;
using MassTransit;

namespace Lookout.Notifier.Consumers;

/// <summary>Delivers one notification (retries, rate limits, dead letters: see <see cref="DeliveryService"/>).</summary>
public sealed class NotificationRequestedConsumer(DeliveryService delivery) : IConsumer<NotificationRequested>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<NotificationRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return delivery.DeliverAsync(context.Message, (failed, ct) => context.Publish(failed, ct), context.CancellationToken);
    }
}

/// <summary>How the evaluation step publishes.</summary>
internal static class Publish
{
    /// <summary>Publishes with the notification's deterministic id as the message id.</summary>
    public static Task Notification(IPublishEndpoint bus, NotificationRequested message, CancellationToken cancellationToken) =>
        bus.Publish(message, c => c.MessageId = message.Id, cancellationToken);
}
