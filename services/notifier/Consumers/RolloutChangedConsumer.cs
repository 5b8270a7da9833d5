using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Consumers;

/// <summary>Receives Rollout changes. Trigger evaluation and sending come with the notifier's own issue.</summary>
public sealed partial class RolloutChangedConsumer(ILogger<RolloutChangedConsumer> logger) : IConsumer<RolloutChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RolloutChanged m = context.Message;
        Log(logger, m.Object.Namespace, m.Object.Name, m.ResourceVersion, m.Summary.Phase, m.Summary.CurrentStepIndex, string.Join(',', m.Summary.PauseReasons), m.Summary.Aborted, context.MessageId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Namespace}/{Name} rv {ResourceVersion}: phase {Phase}, step {Step}, paused [{PauseReasons}], aborted {Aborted} (message {MessageId})")]
    private static partial void Log(ILogger logger, string @namespace, string name, string resourceVersion, string? phase, int? step, string pauseReasons, bool aborted, Guid? messageId);
}
