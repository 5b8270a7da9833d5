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

/// <summary>Notifications about one object are delivered in order (partitioned by uid).</summary>
public sealed class NotificationRequestedConsumerDefinition : ConsumerDefinition<NotificationRequestedConsumer>
{
    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<NotificationRequestedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        IPartitioner partitioner = endpointConfigurator.CreatePartitioner(Publish.Partitions);
        consumerConfigurator.Message<NotificationRequested>(m => m.UsePartitioner(partitioner, c => c.Message.Object.Uid));
    }
}

/// <summary>How the evaluation step publishes.</summary>
internal static class Publish
{
    /// <summary>Concurrent partitions per consumer: different objects in parallel, one object in order.</summary>
    public const int Partitions = 16;

    /// <summary>Publishes with the notification's deterministic id as the message id.</summary>
    public static Task Notification(IPublishEndpoint bus, NotificationRequested message, CancellationToken cancellationToken) =>
        bus.Publish(message, c => c.MessageId = message.Id, cancellationToken);
}
