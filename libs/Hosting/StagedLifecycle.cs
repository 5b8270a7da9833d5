using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Hosting;

/// <summary>
/// The one hosted service that starts every <see cref="StagedService"/> stage by stage (ascending) and stops them
/// in the reverse order, a whole stage at a time (the parts of one stage stop together).
/// </summary>
public sealed partial class StagedLifecycle(IEnumerable<StagedService> parts, IServiceProvider services, ILogger<StagedLifecycle> logger) : IHostedService
{
    private readonly List<(StagedService Part, IHostedService Service)> started = [];

    /// <summary>The stages in the order they start.</summary>
    public IReadOnlyList<HostStage> StartOrder => [.. parts.Select(p => p.Stage).Distinct().Order()];

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (StagedService part in parts.OrderBy(p => p.Stage))
        {
            IHostedService service = part.Resolve(services);
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            lock (started)
            {
                started.Add((part, service));
            }
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<(StagedService Part, IHostedService Service)> running;
        lock (started)
        {
            running = [.. started];
            started.Clear();
        }

        foreach (IGrouping<HostStage, (StagedService Part, IHostedService Service)> stage in running.GroupBy(r => r.Part.Stage).OrderByDescending(g => g.Key))
        {
            LogStopping(logger, stage.Key, string.Join(", ", stage.Select(s => s.Part.Name)));
            await Task.WhenAll(stage.Select(s => s.Service.StopAsync(cancellationToken))).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopping stage {Stage}: {Parts}")]
    private static partial void LogStopping(ILogger logger, HostStage stage, string parts);
}
