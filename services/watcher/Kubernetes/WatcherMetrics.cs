using Prometheus;

namespace Lookout.Watcher.Kubernetes;

/// <summary>Prometheus metrics of the watcher's Kubernetes side (publishing metrics are the bus side's).</summary>
public static class WatcherMetrics
{
    /// <summary>Watch events received, by kind and event type.</summary>
    public static readonly Counter WatchEvents = Metrics.CreateCounter(
        "lookout_watcher_watch_events_total", "Watch events received from the Kubernetes API.", "kind", "type");

    /// <summary>Re-lists after 410 Gone.</summary>
    public static readonly Counter Relists = Metrics.CreateCounter(
        "lookout_watcher_relists_total", "Re-lists after the watched resourceVersion expired (410 Gone).", "kind");

    /// <summary>Objects skipped because they could not be decoded.</summary>
    public static readonly Counter DecodeFailures = Metrics.CreateCounter(
        "lookout_watcher_decode_failures_total", "Objects skipped because they could not be decoded.", "kind");

    /// <summary>Noise-only updates that published nothing.</summary>
    public static readonly Counter NoiseSkipped = Metrics.CreateCounter(
        "lookout_watcher_noise_updates_total", "Updates that changed only noise fields and published nothing.", "kind");

    /// <summary>Failed list or watch requests (retried with backoff).</summary>
    public static readonly Counter WatchFailures = Metrics.CreateCounter(
        "lookout_watcher_watch_failures_total", "List or watch requests that failed and were retried.", "kind");

    /// <summary>1 while this replica holds the Lease (or leader election is off), else 0.</summary>
    public static readonly Gauge Leader = Metrics.CreateGauge(
        "lookout_watcher_leader", "1 while this replica is the leader and watches.");

    /// <summary>Objects currently tracked, by kind.</summary>
    public static readonly Gauge ObjectsTracked = Metrics.CreateGauge(
        "lookout_watcher_objects_tracked", "Objects whose last published state the watcher keeps.", "kind");
}
