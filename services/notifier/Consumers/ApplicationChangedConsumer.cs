using Lookout.Contracts;
using Lookout.Notifier.Evaluation;
using MassTransit;

namespace Lookout.Notifier.Consumers;

/// <summary>Evaluates an Application's triggers and publishes what to send (one message per destination).</summary>
public sealed class ApplicationChangedConsumer(ObjectNotifier notifier) : IConsumer<ApplicationChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ApplicationChanged m = context.Message;
        return notifier.HandleAsync("Application", m.Object, m.ResourceVersion, m.ObservedAt, m.Body, (n, ct) => Publish.Notification(context, n, ct), context.CancellationToken);
    }
}
