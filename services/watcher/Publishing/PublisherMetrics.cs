using Prometheus;

namespace Lookout.Watcher.Publishing;

/// <summary>Prometheus metrics of the watcher's publishing side, in the host's registry.</summary>
public sealed class PublisherMetrics(IMetricFactory factory)
{
    /// <summary>Events the broker confirmed, by message type.</summary>
    public Counter Published { get; } = factory.CreateCounter(
        "lookout_watcher_events_published_total", "Events published and confirmed by the broker.", ["type"]);

    /// <summary>Publish attempts that failed (each is retried).</summary>
    public Counter Failures { get; } = factory.CreateCounter(
        "lookout_watcher_publish_failures_total", "Publish attempts that failed or timed out.");

    /// <summary>Publish attempts that were retries of a failed one.</summary>
    public Counter Retries { get; } = factory.CreateCounter(
        "lookout_watcher_publish_retries_total", "Publish attempts that retried a failed one.");

    /// <summary>Events given up (each also logged with the object's name).</summary>
    public Counter GivenUp { get; } = factory.CreateCounter(
        "lookout_watcher_events_given_up_total", "Events that were not published and were given up, each logged.", ["reason"]);

    /// <summary>Events held and not yet confirmed.</summary>
    public Gauge BufferDepth { get; } = factory.CreateGauge(
        "lookout_watcher_buffer_depth", "Events held in the publish buffer, not yet confirmed by the broker.");

    /// <summary>The buffer's capacity.</summary>
    public Gauge BufferCapacity { get; } = factory.CreateGauge(
        "lookout_watcher_buffer_capacity", "Capacity of the publish buffer; at capacity the watcher stops reading watches.");

    /// <summary>1 while publishing works, 0 while the broker refuses or does not confirm publishes.</summary>
    public Gauge BrokerConnected { get; } = factory.CreateGauge(
        "lookout_watcher_broker_connected", "1 while publishes reach the broker, 0 while they fail (an outage).");

    /// <summary>Time from the first attempt of a publish to the broker's confirm.</summary>
    public Histogram PublishLatency { get; } = factory.CreateHistogram(
        "lookout_watcher_publish_latency_seconds",
        "Time from an event's first publish attempt to the broker's confirm, retries included.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });

    /// <summary>Time spent waiting for the broker during outages.</summary>
    public Counter OutageSeconds { get; } = factory.CreateCounter(
        "lookout_watcher_broker_outage_seconds_total", "Seconds during which publishing was impossible (from the first failure to the next confirm).");

    /// <summary>Outages seen (a failed publish after a working one).</summary>
    public Counter Outages { get; } = factory.CreateCounter(
        "lookout_watcher_broker_outages_total", "Times publishing went from working to failing.");

    /// <summary>Metrics in a registry of their own (tests and tools that run no host).</summary>
    public static PublisherMetrics Unregistered() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
}
