using Lookout.Analyzer.Rollouts;
using Lookout.Contracts;
using MassTransit;

namespace Lookout.Analyzer.Consumers;

/// <summary>Receives Rollout changes and hands them to gate and shadow mode.</summary>
public sealed class RolloutAnalysisConsumer(RolloutObserver rollouts) : IConsumer<RolloutChanged>
{
    /// <inheritdoc/>
    public Task Consume(ConsumeContext<RolloutChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        rollouts.Observe(context.Message);
        return Task.CompletedTask;
    }
}
