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
