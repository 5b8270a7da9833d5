using Prometheus;

namespace Lookout.Watcher.Resync;

/// <summary>Prometheus metrics of resyncs asked by the watcher's consumers, in the host's registry.</summary>
public sealed class ResyncMetrics(IMetricFactory factory)
{
    /// <summary>Requests received, by reason and whether this replica acts on them.</summary>
    public Counter Requests { get; } = factory.CreateCounter(
        "lookout_watcher_resync_requests_total", "Resync requests received from consumers (every replica receives each; only the leader acts).", ["reason", "leader"]);

    /// <summary>Resyncs run (each answers every request that arrived since the last one), by the first request's reason.</summary>
    public Counter Resyncs { get; } = factory.CreateCounter(
        "lookout_watcher_resyncs_total", "Resyncs run by the leader: every watched object restated with IsResync = true.", ["reason"]);

    /// <summary>Metrics in a registry of their own (tests that run no host).</summary>
    public static ResyncMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
}
