using Lookout.Analyzer.Gate;
using Lookout.Contracts;
using MassTransit;

namespace Lookout.Analyzer.Consumers;

/// <summary>Receives Rollout changes and hands them to gate mode.</summary>
public sealed class RolloutAnalysisConsumer(GateKeeper gate) : IConsumer<RolloutChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        gate.Observe(context.Message);
        return Task.CompletedTask;
    }
}
