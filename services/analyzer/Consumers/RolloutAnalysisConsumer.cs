using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Consumers;

/// <summary>Receives Rollout changes; starting AnalysisRuns from them comes with the analyzer's own issue.</summary>
public sealed partial class RolloutAnalysisConsumer(ILogger<RolloutAnalysisConsumer> logger) : IConsumer<RolloutChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RolloutChanged m = context.Message;
        Log(logger, m.Object.Namespace, m.Object.Name, m.Summary.Revision, m.Summary.CurrentStepIndex);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rollout {Namespace}/{Name} revision {Revision} at step {Step}: no analysis configured yet")]
    private static partial void Log(ILogger logger, string @namespace, string name, string? revision, int? step);
}
