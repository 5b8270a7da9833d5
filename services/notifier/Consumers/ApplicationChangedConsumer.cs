using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Consumers;

/// <summary>Receives Application changes. Trigger evaluation and sending come with the notifier's own issue.</summary>
public sealed partial class ApplicationChangedConsumer(ILogger<ApplicationChangedConsumer> logger) : IConsumer<ApplicationChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ApplicationChanged m = context.Message;
        Log(logger, m.Object.Namespace, m.Object.Name, m.ResourceVersion, m.Summary.SyncStatus, m.Summary.HealthStatus, m.Summary.OperationPhase, m.IsResync, context.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Application {Namespace}/{Name} rv {ResourceVersion}: sync {Sync}, health {Health}, operation {Operation} (resync {Resync}, message {MessageId})")]
    private static partial void Log(ILogger logger, string @namespace, string name, string resourceVersion, string? sync, string? health, string? operation, bool resync, Guid? messageId);
}
