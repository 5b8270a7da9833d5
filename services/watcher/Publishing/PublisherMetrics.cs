using Prometheus;

namespace Lookout.Watcher.Publishing;

/// <summary>Prometheus metrics of the watcher's publishing side.</summary>
public static class PublisherMetrics
{
    /// <summary>Events the broker confirmed, by message type.</summary>
    public static readonly Counter Published = Metrics.CreateCounter(
        "lookout_watcher_events_published_total", "Events published and confirmed by the broker.", "type");

    /// <summary>Publish attempts that failed (each is retried).</summary>
    public static readonly Counter Failures = Metrics.CreateCounter(
        "lookout_watcher_publish_failures_total", "Publish attempts that failed or timed out.");

    /// <summary>Publish attempts that were retries of a failed one.</summary>
    public static readonly Counter Retries = Metrics.CreateCounter(
        "lookout_watcher_publish_retries_total", "Publish attempts that retried a failed one.");

    /// <summary>Events given up (each also logged with the object's name).</summary>
    public static readonly Counter GivenUp = Metrics.CreateCounter(
        "lookout_watcher_events_given_up_total", "Events that were not published and were given up, each logged.", "reason");

    /// <summary>Events held and not yet confirmed.</summary>
    public static readonly Gauge BufferDepth = Metrics.CreateGauge(
        "lookout_watcher_buffer_depth", "Events held in the publish buffer, not yet confirmed by the broker.");

    /// <summary>The buffer's capacity.</summary>
    public static readonly Gauge BufferCapacity = Metrics.CreateGauge(
        "lookout_watcher_buffer_capacity", "Capacity of the publish buffer; at capacity the watcher stops reading watches.");
}
