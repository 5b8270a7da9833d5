using Lookout.Contracts;
using Lookout.Notifier.Evaluation;
using MassTransit;

namespace Lookout.Notifier.Consumers;

/// <summary>Fires Argo Rollouts' event-driven triggers from a recorded Kubernetes Event and publishes what to send.</summary>
public sealed class RolloutEventRecordedConsumer(ObjectNotifier notifier) : IConsumer<RolloutEventRecorded>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutEventRecorded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return notifier.HandleEventAsync(context.Message, (n, ct) => Publish.Notification(context, n, ct), context.CancellationToken);
    }
}
