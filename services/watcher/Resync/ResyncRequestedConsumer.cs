using Lookout.Contracts;
using MassTransit;

namespace Lookout.Watcher.Resync;

/// <summary>Hands a consumer's <see cref="ResyncRequested"/> to the <see cref="ResyncScheduler"/>.</summary>
public sealed class ResyncRequestedConsumer(ResyncScheduler scheduler) : IConsumer<ResyncRequested>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<ResyncRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        scheduler.Request(context.Message);
        return Task.CompletedTask;
    }
}
