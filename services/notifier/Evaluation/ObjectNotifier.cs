using System.Text.Json;
using Lookout.Contracts;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Repo;
using Lookout.Notifications.State;
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
    IObjectProblems? problems = null)
{
    private readonly NotifierMetrics metrics = metrics ?? NotifierMetrics.Unserved();

    private readonly IObjectProblems problems = problems ?? new NoObjectProblems();

    private readonly NotificationController controller = new(clock);

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

        NotificationConfig config = await configs.GetAsync(cancellationToken).ConfigureAwait(false);
        NotifiedState state = await states.LoadAsync(owner, NotificationController.StringMap(obj, "annotations").GetValueOrDefault(NotifiedState.AnnotationKey), resourceVersion, cancellationToken).ConfigureAwait(false);
        ObjectMap? project = null;
        if (kind == "Application")
        {
            string projectName = obj.GetValueOrDefault("spec") is ObjectMap spec && spec.GetValueOrDefault("project") is string { Length: > 0 } p ? p : "default";
            project = await projects.GetAsync(identity.Namespace, projectName, cancellationToken).ConfigureAwait(false);
        }

        // The repo helpers' answers are fetched between evaluations (see RepoHelpers), never waited for on this thread.
        ProcessResult result = await repo.EvaluateAsync(r => controller.Process(kind, obj, project, config, state, r), cancellationToken).ConfigureAwait(false);
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
            var message = new NotificationRequested
            {
                Id = NotificationIds.For(identity.Uid, n.Trigger, n.Condition.Key, n.Condition.OncePer, resourceVersion, n.Destination),
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
            };
            LogPlanned(logger, n.Trigger, n.Condition.Key, n.Destination.Service, n.Destination.Recipient, kind, identity.Namespace, identity.Name, message.Id);
            await publish(message, cancellationToken).ConfigureAwait(false);
        }

        if (result.StateChanged)
        {
            await states.SaveAsync(owner, result.State, resourceVersion, cancellationToken).ConfigureAwait(false);
        }

        if (version >= 0)
        {
            newestEvaluated.AddOrUpdate(identity.Uid, version, (_, old) => Math.Max(old, version));
        }

        return result.Notifications.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Namespace}/{Name} rv {ResourceVersion}: processing skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string kind, string @namespace, string name, string resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name}: {Error}")]
    private static partial void LogError(ILogger logger, string kind, string @namespace, string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "sending notification about condition '{Trigger}.{Condition}' to {{{Service} {Recipient}}} for {Kind} {Namespace}/{Name} (message {MessageId})")]
    private static partial void LogPlanned(ILogger logger, string trigger, string condition, string service, string recipient, string kind, string @namespace, string name, Guid messageId);
}
