using Lookout.Notifications.Configuration;
using Lookout.Notifications.Scope;
using Lookout.Notifications.State;
using Lookout.Notifications.Subscriptions;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Notifications;

/// <summary>One notification to send: a trigger's condition fired for a destination that had not been notified.</summary>
/// <param name="Trigger">The trigger's name.</param>
/// <param name="Condition">The condition's result (key, oncePer value, templates).</param>
/// <param name="Destination">The service and recipient.</param>
/// <param name="Notification">The rendered notification.</param>
public sealed record PlannedNotification(string Trigger, ConditionResult Condition, Destination Destination, Notification Notification);

/// <summary>What processing one object version produced.</summary>
/// <param name="Notifications">What to send, in trigger, service, recipient order.</param>
/// <param name="State">The notified state after this version (persist it when <paramref name="StateChanged"/>).</param>
/// <param name="StateChanged">Whether the state differs from the one given.</param>
/// <param name="SkipReason">Why the object was not processed, or null.</param>
/// <param name="Errors">Conditions that failed to evaluate and templates that failed to render (those destinations are re-armed).</param>
/// <param name="Evaluations">Each (trigger, triggered) evaluated, for the metrics.</param>
public sealed record ProcessResult(
    IReadOnlyList<PlannedNotification> Notifications,
    NotifiedState State,
    bool StateChanged,
    string? SkipReason,
    IReadOnlyList<string> Errors,
    IReadOnlyList<(string Trigger, bool Triggered)> Evaluations);

/// <summary>
/// notifications-engine's controller step for one object: gather destinations from every subscription source, run
/// each subscribed trigger, and for each condition either record and send (it became true for a destination not yet
/// notified) or re-arm (it is false; keys with a oncePer value stay). Pure: the caller persists and sends.
/// </summary>
public sealed class NotificationController(TimeProvider clock)
{
    /// <summary>Processes one version of an object.</summary>
    /// <param name="kind"><c>Application</c> or <c>Rollout</c>.</param>
    /// <param name="obj">The object, decoded once.</param>
    /// <param name="project">The Application's AppProject, when known (its annotations subscribe too).</param>
    /// <param name="config">The configuration.</param>
    /// <param name="state">The notified state before this version; not changed (a copy is returned).</param>
    /// <param name="repo">Answers <c>repo.GetCommitMetadata</c> and <c>repo.GetAppDetails</c> (see <see cref="Repo.RepoHelpers"/>); null when no repo server is configured.</param>
    /// <param name="evaluates">Which subscribed triggers this step runs; null for all (Rollouts: not those their Events fire, see <see cref="EventTriggers"/>).</param>
    public ProcessResult Process(string kind, ObjectMap obj, ObjectMap? project, NotificationConfig config, NotifiedState state, IArgoRepoServer? repo = null, Func<string, bool>? evaluates = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        var newState = state.Clone();
        var planned = new List<PlannedNotification>();
        var errors = new List<string>();
        var evaluations = new List<(string, bool)>();
        if (kind == "Application" && SkipReason(obj) is { } reason)
        {
            return new ProcessResult(planned, newState, false, reason, errors, evaluations);
        }

        Destinations destinations = GetDestinations(obj, project, config, errors);
        bool changed = false;
        if (destinations.IsEmpty)
        {
            return new ProcessResult(planned, newState, false, null, errors, evaluations);
        }

        ObjectMap triggerScope = NotificationScopes.ForTrigger(kind, obj, project, config, clock, repo);
        DateTimeOffset now = clock.GetUtcNow();
        foreach ((string trigger, List<Destination> targets) in destinations.ByTrigger.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (evaluates is not null && !evaluates(trigger))
            {
                continue;
            }

            IReadOnlyList<ConditionResult> results;
            try
            {
                results = config.Triggers.Run(trigger, triggerScope, errors);
            }
            catch (KeyNotFoundException ex)
            {
                errors.Add($"failed to evaluate condition of trigger {trigger}: {ex.Message}");
                continue;
            }

            foreach (ConditionResult result in results)
            {
                evaluations.Add((trigger, result.Triggered));
                foreach (Destination to in targets.Where(config.Serves).OrderBy(d => d.Service, StringComparer.Ordinal).ThenBy(d => d.Recipient, StringComparer.Ordinal))
                {
                    if (!result.Triggered)
                    {
                        changed |= newState.SetAlreadyNotified(trigger, result, to, false, now, config.SelfServiceNamespace);
                        continue;
                    }

                    if (!newState.SetAlreadyNotified(trigger, result, to, true, now, config.SelfServiceNamespace))
                    {
                        continue;
                    }

                    changed = true;
                    try
                    {
                        ObjectMap scope = NotificationScopes.ForTemplate(kind, obj, project, config, to, clock, repo);
                        planned.Add(new PlannedNotification(trigger, result, to, config.Templates.Format(scope, result.Templates)));
                    }
                    catch (NotificationTemplateException ex)
                    {
                        // Never recorded as sent (upstream keeps oncePer keys after a failure, argo-cd#20879): the next change tries again.
                        newState.Forget(trigger, result, to, config.SelfServiceNamespace);
                        errors.Add($"failed to notify {to} about trigger {trigger}: {ex.Message}");
                    }
                }
            }
        }

        return new ProcessResult(planned, newState, changed, null, errors, evaluations);
    }

    /// <summary>
    /// Every destination of the object: the ConfigMap's subscriptions, the object's annotations, its AppProject's
    /// annotations (and, as Argo CD reads them there, the project's legacy <c>recipients.argocd-notifications.argoproj.io</c> ones).
    /// </summary>
    public static Destinations GetDestinations(ObjectMap obj, ObjectMap? project, NotificationConfig config, ICollection<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Destinations destinations = DefaultSubscription.ForLabels(config.Subscriptions, config.DefaultTriggers, StringMap(obj, "labels"));
        destinations.Merge(SubscriptionAnnotations.GetDestinations(StringMap(obj, "annotations"), config.DefaultTriggers, config.ServiceDefaultTriggers, problems));
        if (project is not null)
        {
            Dictionary<string, string> annotations = StringMap(project, "annotations");
            destinations.Merge(SubscriptionAnnotations.GetDestinations(annotations, config.DefaultTriggers, config.ServiceDefaultTriggers, problems));
            destinations.Merge(LegacyRecipients.GetDestinations(annotations, config.DefaultTriggers, config.ServiceDefaultTriggers));
        }

        return destinations;
    }

    /// <summary>
    /// Argo CD's rule: an Application whose operation completed (Succeeded, Failed, Error) after its last refresh
    /// (<c>finishedAt</c> later than both <c>status.reconciledAt</c> and <c>status.observedAt</c>) has a sync status
    /// that is not up to date yet, and is skipped until the refresh comes.
    /// </summary>
    public static string? SkipReason(ObjectMap app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Path(app, "status", "operationState") is not ObjectMap operation || operation.GetValueOrDefault("phase") is not string phase)
        {
            return null;
        }

        if (phase is not ("Failed" or "Error" or "Succeeded"))
        {
            return null;
        }

        if (!TryTime(operation.GetValueOrDefault("finishedAt"), out long finishedAt))
        {
            return "sync status out of date";
        }

        long reconciledAt = TryTime(Path(app, "status", "reconciledAt"), out long r) ? r : long.MinValue;
        long observedAt = TryTime(Path(app, "status", "observedAt"), out long o) ? o : long.MinValue;
        return finishedAt > reconciledAt && finishedAt > observedAt ? "sync status out of date" : null;
    }

    private static bool TryTime(object? value, out long ticks)
    {
        ticks = 0;
        return value is string s && GoTime.TryParseRfc3339Ticks(s, out ticks);
    }

    private static object? Path(ObjectMap obj, params string[] keys)
    {
        object? value = obj;
        foreach (string key in keys)
        {
            if (value is not ObjectMap map || !map.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>A string map under <c>metadata</c> (labels, annotations).</summary>
    public static Dictionary<string, string> StringMap(ObjectMap obj, string field)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Path(obj, "metadata", field) is ObjectMap values)
        {
            foreach ((string key, object? value) in values)
            {
                if (value is string s)
                {
                    map[key] = s;
                }
            }
        }

        return map;
    }
}
