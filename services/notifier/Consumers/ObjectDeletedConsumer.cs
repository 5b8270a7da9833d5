using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Consumers;

/// <summary>Receives deletions of Applications and Rollouts.</summary>
public sealed partial class ObjectDeletedConsumer(ILogger<ObjectDeletedConsumer> logger) : IConsumer<ObjectDeleted>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<ObjectDeleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectDeleted m = context.Message;
        Log(logger, m.Kind, m.Object.Namespace, m.Object.Name, m.ResourceVersion, context.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Namespace}/{Name} deleted at rv {ResourceVersion} (message {MessageId})")]
    private static partial void Log(ILogger logger, string kind, string @namespace, string name, string resourceVersion, Guid? messageId);
}
