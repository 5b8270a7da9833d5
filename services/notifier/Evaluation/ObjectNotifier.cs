using System.Text.Json;
using Lookout.Contracts;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Repo;
using Lookout.Notifications.State;
using Lookout.Notifications.Triggers;
using Lookout.Notifier.Configuration;
using Lookout.Values;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Evaluation;

/// <summary>
/// The evaluation step: one object version in, one <see cref="NotificationRequested"/> per (trigger, condition,
/// service, recipient) out, then the notified state persisted. Publishing comes before the state write, so a crash
/// between them repeats the evaluation, whose deterministic ids the delivery step recognises.
/// </summary>
public sealed partial class ObjectNotifier(
    NotificationConfigProvider configs,
    INotifiedStateStore states,
    IProjectSource projects,
    RepoHelpers repo,
    TimeProvider clock,
    ILogger<ObjectNotifier> logger,
    NotifierMetrics? metrics = null,
    IObjectProblems? problems = null,
    RolloutsConfigProvider? rolloutsConfigs = null,
    SelfServiceConfigs? selfService = null)
{
    private readonly NotifierMetrics metrics = metrics ?? NotifierMetrics.Unserved();

    private readonly IObjectProblems problems = problems ?? new NoObjectProblems();

    private readonly NotificationController controller = new(clock);

    private readonly RolloutEventController eventController = new(clock);

    // The newest resourceVersion evaluated to the end, per object uid. The bus keeps one object's events in order only
    // as far as MassTransit's partitioner does (messages of one prefetch batch can reach it swapped), and a broker
    // redelivers; an event older than one already evaluated describes a state that is gone, and evaluating it would
    // re-arm or re-set conditions from the past. One entry per object seen by this process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> newestEvaluated = new(StringComparer.Ordinal);

    /// <summary>Evaluates one observed version; <paramref name="publish"/> sends each notification to the bus.</summary>
    public async Task<int> HandleAsync(
        string kind, ObjectIdentity identity, string resourceVersion, DateTimeOffset observedAt, JsonElement body,
        Func<NotificationRequested, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(publish);
        var owner = new StateOwner(kind, identity.Namespace, identity.Name, identity.Uid);
        long version = long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : -1;
        if (version >= 0 && newestEvaluated.TryGetValue(identity.Uid, out long newest) && version <= newest)
        {
            LogSkipped(logger, kind, identity.Namespace, identity.Name, resourceVersion, $"not newer than resourceVersion {newest}, already evaluated");
            return 0;
        }

        if (states.IsOwnWrite(owner, resourceVersion) || ObjectModel.FromJsonElement(body) is not ObjectMap obj)
        {
            return 0;
        }

        // Each product's configuration applies to its own kind: Argo CD's to Applications, Argo Rollouts' to Rollouts;
        // in the self-service mode the one in the object's namespace too, each with its own state keys.
        IReadOnlyList<NotificationConfig> configList = await ConfigsForAsync(kind, identity.Namespace, cancellationToken).ConfigureAwait(false);
        NotifiedState state = await states.LoadAsync(owner, NotificationController.StringMap(obj, "annotations").GetValueOrDefault(NotifiedState.AnnotationKey), resourceVersion, cancellationToken).ConfigureAwait(false);
        ObjectMap? project = null;
        if (kind == "Application")
        {
            string projectName = obj.GetValueOrDefault("spec") is ObjectMap spec && spec.GetValueOrDefault("project") is string { Length: > 0 } p ? p : "default";
            project = await projects.GetAsync(identity.Namespace, projectName, cancellationToken).ConfigureAwait(false);
        }

        // A Rollout's triggers that its Events fire (on-rollout-completed…) run from those Events, not from its changes.
        Func<string, bool>? evaluates = kind == "Rollout" ? t => !EventTriggers.IsEventTrigger(t) : null;
        bool stateChanged = false;
        int sent = 0;
        foreach (NotificationConfig config in configList)
        {
            // The repo helpers' answers are fetched between evaluations (see RepoHelpers), never waited for on this thread.
            NotifiedState before = state;
            ProcessResult result = await repo.EvaluateAsync(r => controller.Process(kind, obj, project, config, before, r, evaluates), cancellationToken).ConfigureAwait(false);
            if (result.SkipReason is { } reason)
            {
                LogSkipped(logger, kind, identity.Namespace, identity.Name, resourceVersion, reason);
                return 0;
            }

            foreach ((string trigger, bool triggered) in result.Evaluations)
            {
                metrics.TriggerEvaluated(trigger, triggered);
            }

            foreach (string error in result.Errors)
            {
                LogError(logger, kind, identity.Namespace, identity.Name, error);
                metrics.EvaluationFailed(kind);
            }

            if (result.Errors.Count > 0)
            {
                await problems.RecordAsync(kind, identity, result.Errors, cancellationToken).ConfigureAwait(false);
            }

            foreach (PlannedNotification n in result.Notifications)
            {
                string idTrigger = config.SelfServiceNamespace is { } ns ? $"{ns}:{n.Trigger}" : n.Trigger;
                var message = new NotificationRequested
                {
                    Id = NotificationIds.For(identity.Uid, idTrigger, n.Condition.Key, n.Condition.OncePer, resourceVersion, n.Destination),
                    Kind = kind,
                    Object = identity,
                    ResourceVersion = resourceVersion,
                    ObservedAt = observedAt,
                    Trigger = n.Trigger,
                    ConditionKey = n.Condition.Key,
                    OncePer = n.Condition.OncePer,
                    Service = n.Destination.Service,
                    Recipient = n.Destination.Recipient,
                    Templates = n.Condition.Templates,
                    Notification = JsonSerializer.SerializeToElement(n.Notification.ToJson()),
                    ConfigNamespace = config.SelfServiceNamespace,
                };
                LogPlanned(logger, n.Trigger, n.Condition.Key, n.Destination.Service, n.Destination.Recipient, kind, identity.Namespace, identity.Name, message.Id);
                await publish(message, cancellationToken).ConfigureAwait(false);
            }

            state = result.State;
            stateChanged |= result.StateChanged;
            sent += result.Notifications.Count;
        }

        if (stateChanged)
        {
            await states.SaveAsync(owner, state, resourceVersion, cancellationToken).ConfigureAwait(false);
        }

        if (version >= 0)
        {
            newestEvaluated.AddOrUpdate(identity.Uid, version, (_, old) => Math.Max(old, version));
        }

        return sent;
    }

    /// <summary>
    /// Notifies from one occurrence of a Kubernetes Event about a Rollout or an AnalysisRun, as Argo Rollouts does: the
    /// reason names the trigger, run against the involved object as it was when the Event arrived. Each notification's
    /// id is derived from the occurrence (event uid and count), so a redelivered or re-published Event never sends twice.
    /// </summary>
    public async Task<int> HandleEventAsync(RolloutEventRecorded recorded, Func<NotificationRequested, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(publish);
        EventInvolvedObject involved = recorded.InvolvedObject;
        if (recorded.ObjectBody is not { } body || ObjectModel.FromJsonElement(body) is not ObjectMap obj)
        {
            LogEventSkipped(logger, recorded.Reason, involved.Kind, involved.Namespace, involved.Name, "the object is gone");
            return 0;
        }

        string resourceVersion = obj.GetValueOrDefault("metadata") is ObjectMap m && m.GetValueOrDefault("resourceVersion") is string rv ? rv : recorded.EventResourceVersion;
        object? analysisRuns = recorded.AnalysisRuns is { } runs ? ObjectModel.FromJsonElement(runs) : null;
        int sent = 0;
        foreach (NotificationConfig config in await ConfigsForAsync("Rollout", involved.Namespace, cancellationToken).ConfigureAwait(false))
        {
            EventResult result = eventController.Process(recorded.Reason, obj, config, analysisRuns);
            foreach ((string trigger, bool triggered) in result.Evaluations)
            {
                metrics.TriggerEvaluated(trigger, triggered);
            }

            foreach (string error in result.Errors)
            {
                LogError(logger, involved.Kind, involved.Namespace, involved.Name, error);
                metrics.EvaluationFailed("Rollout");
            }

            if (result.Errors.Count > 0)
            {
                await problems.RecordAsync("Rollout", recorded.Rollout, result.Errors, cancellationToken).ConfigureAwait(false);
            }

            foreach (PlannedNotification n in result.Notifications)
            {
                string idTrigger = config.SelfServiceNamespace is { } ns ? $"{ns}:{n.Trigger}" : n.Trigger;
                var message = new NotificationRequested
                {
                    Id = NotificationIds.ForEvent(recorded.EventUid, recorded.Count, idTrigger, n.Condition.Key, n.Destination),
                    Kind = "Rollout",
                    Object = recorded.Rollout,
                    ResourceVersion = resourceVersion,
                    ObservedAt = recorded.ObservedAt,
                    Trigger = n.Trigger,
                    ConditionKey = n.Condition.Key,
                    Service = n.Destination.Service,
                    Recipient = n.Destination.Recipient,
                    Templates = n.Condition.Templates,
                    Notification = JsonSerializer.SerializeToElement(n.Notification.ToJson()),
                    ConfigNamespace = config.SelfServiceNamespace,
                };
                LogPlanned(logger, n.Trigger, n.Condition.Key, n.Destination.Service, n.Destination.Recipient, involved.Kind, involved.Namespace, involved.Name, message.Id);
                await publish(message, cancellationToken).ConfigureAwait(false);
            }

            sent += result.Notifications.Count;
        }

        return sent;
    }

    // The controller's own configuration for the kind, then (self-service mode) the one in the object's namespace.
    private async Task<IReadOnlyList<NotificationConfig>> ConfigsForAsync(string kind, string @namespace, CancellationToken cancellationToken)
    {
        NotificationConfig own = await ConfigForAsync(kind, cancellationToken).ConfigureAwait(false);
        if (selfService is not { Enabled: true })
        {
            return [own];
        }

        // Argo CD hides .secrets from templates once self-service is on; Argo Rollouts does not.
        NotificationConfig main = kind == "Rollout" ? own : own.With(null, secretsInTemplates: false);
        return await selfService.GetAsync(kind, @namespace, cancellationToken).ConfigureAwait(false) is { } local ? [main, local] : [main];
    }

    private async ValueTask<NotificationConfig> ConfigForAsync(string kind, CancellationToken cancellationToken) =>
        kind == "Rollout" && rolloutsConfigs is not null
            ? await rolloutsConfigs.GetAsync(cancellationToken).ConfigureAwait(false)
            : await configs.GetAsync(cancellationToken).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Reason} on {Kind} {Namespace}/{Name}: nothing sent: {Why}")]
    private static partial void LogEventSkipped(ILogger logger, string reason, string kind, string @namespace, string name, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Namespace}/{Name} rv {ResourceVersion}: processing skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string kind, string @namespace, string name, string resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name}: {Error}")]
    private static partial void LogError(ILogger logger, string kind, string @namespace, string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "sending notification about condition '{Trigger}.{Condition}' to {{{Service} {Recipient}}} for {Kind} {Namespace}/{Name} (message {MessageId})")]
    private static partial void LogPlanned(ILogger logger, string trigger, string condition, string service, string recipient, string kind, string @namespace, string name, Guid messageId);
}
