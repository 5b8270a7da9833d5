using Lookout.Notifications.Configuration;
using Lookout.Notifications.Scope;
using Lookout.Notifications.Subscriptions;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;
using Lookout.Values;

namespace Lookout.Notifications;

/// <summary>What one recorded Event produced.</summary>
/// <param name="Trigger">The trigger the Event's reason names.</param>
/// <param name="Notifications">What to send, in service and recipient order.</param>
/// <param name="Errors">Conditions that failed to evaluate and templates that failed to render.</param>
/// <param name="Evaluations">Each (trigger, triggered) evaluated, for the metrics.</param>
public sealed record EventResult(
    string Trigger,
    IReadOnlyList<PlannedNotification> Notifications,
    IReadOnlyList<string> Errors,
    IReadOnlyList<(string Trigger, bool Triggered)> Evaluations);

/// <summary>
/// Argo Rollouts' notification step for one recorded Event (argo-rollouts' <c>utils/record</c>): the Event's reason
/// names the trigger; the destinations subscribed to it come from the ConfigMap's <c>subscriptions</c> (by the
/// object's labels) and the object's annotations; for each, every condition of the trigger that has no <c>when</c>
/// sends, and every condition whose <c>when</c> is true sends. There is no notified state: each occurrence of the
/// Event is one notification (the caller gives it an id derived from the occurrence). Pure: the caller sends.
/// </summary>
public sealed class RolloutEventController(TimeProvider clock)
{
    private static readonly string EmptyWhen = TriggerEvaluator.Hash(string.Empty);

    /// <summary>Processes one occurrence of an Event.</summary>
    /// <param name="reason">The Event's reason.</param>
    /// <param name="obj">The involved object as it was when the Event arrived (<c>rollout</c> in scope, as upstream puts it there even for an AnalysisRun).</param>
    /// <param name="config">Argo Rollouts' configuration.</param>
    /// <param name="analysisRuns">Argo Rollouts' <c>analysisRuns</c>: the Rollout's current AnalysisRuns, newest first; null for none.</param>
    public EventResult Process(string reason, ObjectMap obj, NotificationConfig config, object? analysisRuns = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(config);
        string trigger = EventTriggers.TriggerOf(reason);
        var planned = new List<PlannedNotification>();
        var errors = new List<string>();
        var evaluations = new List<(string, bool)>();
        Destinations destinations = NotificationController.GetDestinations(obj, null, config, errors);
        if (!destinations.ByTrigger.TryGetValue(trigger, out List<Destination>? targets) || targets.Count == 0
            || !config.Triggers.TriggerNames.Contains(trigger))
        {
            // Upstream logs "trigger is not configured" at debug level: a reason nobody subscribed to is normal.
            return new EventResult(trigger, planned, errors, evaluations);
        }

        ObjectMap triggerScope = NotificationScopes.ForTrigger("Rollout", obj, null, config, clock);
        triggerScope["analysisRuns"] = analysisRuns;
        IReadOnlyList<ConditionResult> results = config.Triggers.Run(trigger, triggerScope, errors);
        foreach (ConditionResult result in results)
        {
            bool unconditional = result.Key.EndsWith("." + EmptyWhen, StringComparison.Ordinal);
            evaluations.Add((trigger, unconditional || result.Triggered));
            if (!unconditional && !result.Triggered)
            {
                continue;
            }

            foreach (Destination to in targets.Distinct().Where(config.Serves).OrderBy(d => d.Service, StringComparer.Ordinal).ThenBy(d => d.Recipient, StringComparer.Ordinal))
            {
                try
                {
                    ObjectMap scope = NotificationScopes.ForTemplate("Rollout", obj, null, config, to, clock);
                    scope["analysisRuns"] = analysisRuns;
                    planned.Add(new PlannedNotification(trigger, result, to, config.Templates.Format(scope, result.Templates)));
                }
                catch (NotificationTemplateException ex)
                {
                    errors.Add($"failed to notify {to} about trigger {trigger}: {ex.Message}");
                }
            }
        }

        return new EventResult(trigger, planned, errors, evaluations);
    }
}
