using Lookout.Contracts;
using Lookout.Notifier.Evaluation;
using MassTransit;

namespace Lookout.Notifier.Consumers;

/// <summary>Evaluates a Rollout's triggers (the object is <c>rollout</c> in scope) and publishes what to send.</summary>
public sealed class RolloutChangedConsumer(ObjectNotifier notifier) : IConsumer<RolloutChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RolloutChanged m = context.Message;
        return notifier.HandleAsync("Rollout", m.Object, m.ResourceVersion, m.ObservedAt, m.Body, (n, ct) => Publish.Notification(context, n, ct), context.CancellationToken);
    }
}

/// <summary>Events of one object are handled in order (partitioned by uid).</summary>
public sealed class RolloutChangedConsumerDefinition : ConsumerDefinition<RolloutChangedConsumer>
{
    /// <inheritdoc/>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RolloutChangedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        IPartitioner partitioner = endpointConfigurator.CreatePartitioner(Publish.Partitions);
        consumerConfigurator.Message<RolloutChanged>(m => m.UsePartitioner(partitioner, c => c.Message.Object.Uid));
    }
}
