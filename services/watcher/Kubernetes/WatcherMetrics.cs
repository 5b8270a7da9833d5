using Prometheus;

namespace Lookout.Watcher.Kubernetes;

/// <summary>Prometheus metrics of the watcher's Kubernetes side (publishing metrics are the bus side's), in the host's registry.</summary>
public sealed class WatcherMetrics(IMetricFactory factory)
{
    /// <summary>Watch events received, by kind and event type.</summary>
    public Counter WatchEvents { get; } = factory.CreateCounter(
        "lookout_watcher_watch_events_total", "Watch events received from the Kubernetes API.", ["kind", "type"]);

    /// <summary>Re-lists after 410 Gone.</summary>
    public Counter Relists { get; } = factory.CreateCounter(
        "lookout_watcher_relists_total", "Re-lists after the watched resourceVersion expired (410 Gone).", ["kind"]);

    /// <summary>Objects skipped because they could not be decoded.</summary>
    public Counter DecodeFailures { get; } = factory.CreateCounter(
        "lookout_watcher_decode_failures_total", "Objects skipped because they could not be decoded (each logged with its kind, namespace and name).", ["kind"]);

    /// <summary>Noise-only updates that published nothing.</summary>
    public Counter NoiseSkipped { get; } = factory.CreateCounter(
        "lookout_watcher_noise_updates_total", "Updates that changed only noise fields and published nothing.", ["kind"]);

    /// <summary>Failed list or watch requests (retried with backoff).</summary>
    public Counter WatchFailures { get; } = factory.CreateCounter(
        "lookout_watcher_watch_failures_total", "List or watch requests that failed and were retried.", ["kind"]);

    /// <summary>1 while this replica holds the Lease (or leader election is off), else 0.</summary>
    public Gauge Leader { get; } = factory.CreateGauge(
        "lookout_watcher_leader", "1 while this replica is the leader and watches.");

    /// <summary>Objects currently tracked, by kind.</summary>
    public Gauge ObjectsTracked { get; } = factory.CreateGauge(
        "lookout_watcher_objects_tracked", "Objects whose last published state the watcher keeps.", ["kind"]);

    /// <summary>Metrics in a registry of their own (tests and tools that run no host).</summary>
    public static WatcherMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
}
