using Lookout.Notifications.Configuration;
using Prometheus;

namespace Lookout.Notifier;

/// <summary>
/// The notifier's metrics: notifications-engine's own names (<c>notifications_deliveries_total</c>,
/// <c>notifications_trigger_eval_total</c>) plus latency, retries, rate-limit waits, circuits, dead letters and
/// configuration problems. Labels never carry a recipient or a secret.
/// </summary>
public static class NotifierMetrics
{
    private static readonly Counter Deliveries = Metrics.CreateCounter(
        "notifications_deliveries_total", "Delivered notifications by trigger, service and outcome.", "trigger", "service", "succeeded");

    private static readonly Counter TriggerEvaluations = Metrics.CreateCounter(
        "notifications_trigger_eval_total", "Trigger condition evaluations by trigger and result.", "name", "triggered");

    private static readonly Histogram Latency = Metrics.CreateHistogram(
        "notifications_event_to_delivery_seconds", "From the watcher observing the object to the service accepting the notification.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    private static readonly Counter Retries = Metrics.CreateCounter("notifications_delivery_retries_total", "Delivery attempts retried after a failure, by service.", "service");

    private static readonly Counter RateLimitWaits = Metrics.CreateCounter("notifications_rate_limit_waits_total", "Waits for a rate limit (own or a 429), by service type.", "service_type");

    private static readonly Counter RateLimitSeconds = Metrics.CreateCounter("notifications_rate_limit_wait_seconds_total", "Seconds waited for rate limits, by service type.", "service_type");

    private static readonly Gauge Circuits = Metrics.CreateGauge("notifications_circuit_open", "1 while a service's circuit is open.", "service");

    private static readonly Gauge DeadLetters = Metrics.CreateGauge("notifications_dead_letters", "Notifications in the dead letters.");

    private static readonly Gauge ConfigProblems = Metrics.CreateGauge("notifications_config_problems", "Configuration entries disabled (1) or warned about, by key.", "key");

    public static void Delivered(string trigger, string service, bool succeeded, TimeSpan? latency)
    {
        Deliveries.WithLabels(trigger, service, succeeded ? "true" : "false").Inc();
        if (latency is { } l && l >= TimeSpan.Zero)
        {
            Latency.Observe(l.TotalSeconds);
        }
    }

    public static void TriggerEvaluated(string trigger, bool triggered) => TriggerEvaluations.WithLabels(trigger, triggered ? "true" : "false").Inc();

    public static void Retried(string service) => Retries.WithLabels(service).Inc();

    public static void RateLimitWait(string serviceType, TimeSpan waited)
    {
        RateLimitWaits.WithLabels(serviceType).Inc();
        RateLimitSeconds.WithLabels(serviceType).Inc(waited.TotalSeconds);
    }

    public static void SetCircuit(string service, bool open) => Circuits.WithLabels(service).Set(open ? 1 : 0);

    public static void SetDeadLetters(int count) => DeadLetters.Set(count);

    public static void SetConfigProblems(IReadOnlyList<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (string[] labels in ConfigProblems.GetAllLabelValues().ToList())
        {
            ConfigProblems.WithLabels(labels).Set(0);
        }

        foreach (ConfigProblem p in problems)
        {
            ConfigProblems.WithLabels(p.Key).Set(1);
        }
    }
}
