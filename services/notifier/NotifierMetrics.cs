using Lookout.Notifications.Configuration;
using Prometheus;

namespace Lookout.Notifier;

/// <summary>
/// The notifier's metrics: notifications-engine's own names (<c>notifications_deliveries_total</c>,
/// <c>notifications_trigger_eval_total</c>) plus latency, retries, rate-limit waits, circuits, dead letters and
/// configuration problems. Labels never carry a recipient or a secret. Created in the host's registry
/// (<see cref="Hosting.HostMetrics"/>), so they are served on its <c>/metrics</c> and two hosts never share a series.
/// </summary>
public sealed class NotifierMetrics
{
    private readonly Counter deliveries;
    private readonly Counter triggerEvaluations;
    private readonly Histogram eventToDelivery;
    private readonly Counter retries;
    private readonly Counter rateLimitWaits;
    private readonly Counter rateLimitSeconds;
    private readonly Gauge circuits;
    private readonly Gauge deadLetters;
    private readonly Gauge configProblems;
    private readonly Counter repoServerQuestions;
    private readonly Counter evaluationErrors;

    /// <summary>Creates the metrics through <paramref name="factory"/>.</summary>
    public NotifierMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        deliveries = factory.CreateCounter(
            "notifications_deliveries_total", "Delivered notifications by trigger, service and outcome.", ["trigger", "service", "succeeded"]);
        triggerEvaluations = factory.CreateCounter(
            "notifications_trigger_eval_total", "Trigger condition evaluations by trigger and result.", ["name", "triggered"]);
        eventToDelivery = factory.CreateHistogram(
            "notifications_event_to_delivery_seconds", "From the watcher observing the object to the service accepting the notification.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        retries = factory.CreateCounter("notifications_delivery_retries_total", "Delivery attempts retried after a failure, by service.", ["service"]);
        rateLimitWaits = factory.CreateCounter("notifications_rate_limit_waits_total", "Waits for a rate limit (own or a 429), by service type.", ["service_type"]);
        rateLimitSeconds = factory.CreateCounter("notifications_rate_limit_wait_seconds_total", "Seconds waited for rate limits, by service type.", ["service_type"]);
        circuits = factory.CreateGauge("notifications_circuit_open", "1 while a service's circuit is open.", ["service"]);
        deadLetters = factory.CreateGauge("notifications_dead_letters", "Notifications in the dead letters.");
        configProblems = factory.CreateGauge("notifications_config_problems", "Configuration entries disabled (1) or warned about, by key.", ["key"]);
        evaluationErrors = factory.CreateCounter(
            "notifications_evaluation_errors_total", "Trigger conditions that failed to evaluate and templates that failed to render (budgets included), by object kind.", ["kind"]);
        repoServerQuestions = factory.CreateCounter(
            "notifications_repo_server_requests_total", "Questions of the repo helpers by method and outcome (cached, answered, failed).", ["method", "outcome"]);
    }

    /// <summary>Metrics in a registry of their own, served nowhere: for tests and tools that build parts of the notifier by hand.</summary>
    public static NotifierMetrics Unserved() => new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));

    public void Delivered(string trigger, string service, bool succeeded, TimeSpan? latency)
    {
        deliveries.WithLabels(trigger, service, succeeded ? "true" : "false").Inc();
        if (latency is { } l && l >= TimeSpan.Zero)
        {
            eventToDelivery.Observe(l.TotalSeconds);
        }
    }

    public void EvaluationFailed(string kind) => evaluationErrors.WithLabels(kind).Inc();

    public void TriggerEvaluated(string trigger, bool triggered) => triggerEvaluations.WithLabels(trigger, triggered ? "true" : "false").Inc();

    public void Retried(string service) => retries.WithLabels(service).Inc();

    public void RateLimitWait(string serviceType, TimeSpan waited)
    {
        rateLimitWaits.WithLabels(serviceType).Inc();
        rateLimitSeconds.WithLabels(serviceType).Inc(waited.TotalSeconds);
    }

    public void RepoServerAsked(string method, string outcome) => repoServerQuestions.WithLabels(method, outcome).Inc();

    public void SetCircuit(string service, bool open) => circuits.WithLabels(service).Set(open ? 1 : 0);

    public void SetDeadLetters(int count) => deadLetters.Set(count);

    public void SetConfigProblems(IReadOnlyList<ConfigProblem> problems, string source = "")
    {
        ArgumentNullException.ThrowIfNull(problems);
        lock (problemsBySource)
        {
            // Argo CD's and Argo Rollouts' configurations each replace only their own keys.
            problemsBySource[source] = [.. problems.Select(p => p.Key)];
            var current = new HashSet<string>(problemsBySource.Values.SelectMany(keys => keys), StringComparer.Ordinal);
            foreach (string[] labels in configProblems.GetAllLabelValues().ToList())
            {
                configProblems.WithLabels(labels).Set(current.Contains(labels[0]) ? 1 : 0);
            }

            foreach (string key in current)
            {
                configProblems.WithLabels(key).Set(1);
            }
        }
    }

    private readonly Dictionary<string, string[]> problemsBySource = new(StringComparer.Ordinal);
}
