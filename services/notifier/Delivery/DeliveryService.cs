using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Inbox;
using Lookout.Notifications.Templates;
using Lookout.Notifier.Configuration;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Delivery;

/// <summary>What became of a notification.</summary>
public enum DeliveryOutcome
{
    /// <summary>The service accepted it.</summary>
    Sent,

    /// <summary>It had been sent already (a redelivery); nothing was sent.</summary>
    Duplicate,

    /// <summary>Every attempt failed; it is in the dead letters.</summary>
    DeadLettered,
}

/// <summary>
/// The delivery step: sends one notification through its service with the service's rate limit (Slack: one message
/// per channel per second; a 429's Retry-After is obeyed and is not a failure), retries with exponential backoff, a
/// circuit breaker per service, and the sent ledger (a message a service accepted is never sent again). What still
/// fails goes to the dead letters with its reason — never dropped, never recorded as sent. When the host keeps an
/// <see cref="Inbox"/>, every outcome is shown there; when the inbox is the default destination (the embedded mode), a
/// notification to a service that is not configured is recorded there instead of failing.
/// </summary>
public sealed partial class DeliveryService(
    NotificationConfigProvider configs,
    SentLedger ledger,
    DeadLetterStore deadLetters,
    CircuitBreakers circuits,
    RateLimits limits,
    NotifierOptions options,
    TimeProvider clock,
    ILogger<DeliveryService> logger,
    Inbox? inbox = null,
    NotifierMetrics? metrics = null,
    RolloutsConfigProvider? rolloutsConfigs = null,
    SelfServiceConfigs? selfService = null)
{
    /// <summary>How long a send under way may go on once the consumer is cancelled.</summary>
    public static readonly TimeSpan SendGrace = TimeSpan.FromSeconds(10);

    private readonly NotifierMetrics metrics = metrics ?? NotifierMetrics.Unserved();

    /// <summary>Delivers one notification; <paramref name="publishFailure"/> announces a dead letter on the bus.</summary>
    public async Task<DeliveryOutcome> DeliverAsync(
        NotificationRequested message, Func<NotificationDeliveryFailed, CancellationToken, Task>? publishFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (ledger.Contains(message.Id))
        {
            LogDuplicate(logger, message.Id, message.Trigger, message.Service, message.Recipient);
            return DeliveryOutcome.Duplicate;
        }

        // A Rollout's notification goes through Argo Rollouts' services, an Application's through Argo CD's; one from a
        // self-service configuration through that namespace's own.
        NotificationConfig config = message.Kind == "Rollout" && rolloutsConfigs is not null
            ? await rolloutsConfigs.GetAsync(cancellationToken).ConfigureAwait(false)
            : await configs.GetAsync(cancellationToken).ConfigureAwait(false);
        if (message.ConfigNamespace is { } configNamespace)
        {
            if (selfService is null || await selfService.GetAsync(message.Kind, configNamespace, cancellationToken).ConfigureAwait(false) is not { } local)
            {
                return await DeadLetterAsync(message, $"the self-service notification configuration in namespace {configNamespace} is gone", 0, publishFailure, cancellationToken).ConfigureAwait(false);
            }

            config = local;
        }

        Notification notification = Notification.FromJson(JsonNode.Parse(message.Notification.GetRawText()) as JsonObject ?? []);
        if (inbox is { CapturesAll: true })
        {
            return await RecordAsync(inbox, message, notification, config, publishFailure, cancellationToken).ConfigureAwait(false);
        }

        if (!config.Services.TryGetValue(message.Service, out ConfigService? service))
        {
            return inbox is { IsDefaultDestination: true }
                ? await RecordAsync(inbox, message, notification, config, publishFailure, cancellationToken).ConfigureAwait(false)
                : await DeadLetterAsync(message, $"notification service '{message.Service}' is not supported", 0, publishFailure, cancellationToken).ConfigureAwait(false);
        }

        var destination = new Destination(message.Service, message.Recipient);
        DeliveryOptions d = options.Delivery;
        TimeSpan interval = service.Type == "slack" ? d.SlackChannelInterval : TimeSpan.Zero;
        string limitKey = $"{message.Service}\u001f{message.Recipient}";
        TimeSpan rateLimited = TimeSpan.Zero;
        string reason = "not attempted";
        int attempts = 0;
        while (attempts < d.MaxAttempts)
        {
            if (!circuits.Allow(message.Service))
            {
                // An open circuit is not this notification's failure: it waits for the circuit's trial, then tries. Each
                // attempt it spends is a real send that failed, so a service down for less than the circuit's open time
                // does not fill the dead letters with notifications that were never tried.
                await Task.Delay(circuits.RemainingOpen(message.Service), clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            TimeSpan waited = await limits.WaitAsync(limitKey, interval, cancellationToken).ConfigureAwait(false);
            if (waited > TimeSpan.Zero)
            {
                metrics.RateLimitWait(service.Type, waited);
            }

            try
            {
                // A send under way is not abandoned the moment the consumer is cancelled (the broker's connection lost,
                // a shutdown): the service may already hold the message, and only a finished send enters the ledger
                // that makes the redelivery a duplicate. It gets SendGrace to finish.
                using (var sending = new CancellationTokenSource())
                using (cancellationToken.Register(static s => ((CancellationTokenSource)s!).CancelAfter(SendGrace), sending))
                {
                    await service.Service.SendAsync(notification, destination, sending.Token).ConfigureAwait(false);
                }

                circuits.Record(message.Service, succeeded: true);
                ledger.Add(message.Id);
                inbox?.Show(message, notification, service, config, InboxStatus.Sent);
                metrics.Delivered(message.Trigger, message.Service, succeeded: true, clock.GetUtcNow() - message.ObservedAt);
                LogSent(logger, message.Trigger, message.Service, message.Recipient, message.Object.Namespace, message.Object.Name, message.Id);
                return DeliveryOutcome.Sent;
            }
            catch (RateLimitedException ex)
            {
                limits.HoldBack(limitKey, ex.RetryAfter);
                metrics.RateLimitWait(service.Type, ex.RetryAfter);
                rateLimited += ex.RetryAfter;
                LogRateLimited(logger, message.Service, message.Recipient, ex.RetryAfter.TotalSeconds);
                if (rateLimited > d.MaxRateLimitWait)
                {
                    attempts++;
                    reason = $"{ex.Message}; waited {rateLimited.TotalSeconds:0} s in all";
                    rateLimited = TimeSpan.Zero;
                }
            }
            catch (NotificationSendException ex)
            {
                circuits.Record(message.Service, succeeded: false);
                attempts++;
                reason = ex.Message;
                LogAttemptFailed(logger, attempts, d.MaxAttempts, message.Service, message.Recipient, ex.Message);
                if (!ex.Retryable)
                {
                    break;
                }

                if (attempts < d.MaxAttempts)
                {
                    await BackoffAsync(attempts, message.Service, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        inbox?.Show(message, notification, service, config, InboxStatus.Failed, reason);
        return await DeadLetterAsync(message, reason, attempts, publishFailure, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryOutcome> RecordAsync(
        Inbox target, NotificationRequested message, Notification notification, NotificationConfig config, Func<NotificationDeliveryFailed, CancellationToken, Task>? publishFailure, CancellationToken cancellationToken)
    {
        if (target.Show(message, notification, null, config, InboxStatus.Recorded) is { } error)
        {
            return await DeadLetterAsync(message, error, 1, publishFailure, cancellationToken).ConfigureAwait(false);
        }

        ledger.Add(message.Id);
        metrics.Delivered(message.Trigger, message.Service, succeeded: true, clock.GetUtcNow() - message.ObservedAt);
        LogRecorded(logger, message.Trigger, message.Service, message.Recipient, message.Object.Namespace, message.Object.Name, message.Id);
        return DeliveryOutcome.Sent;
    }

    private async Task BackoffAsync(int attempt, string service, CancellationToken cancellationToken)
    {
        metrics.Retried(service);
        DeliveryOptions d = options.Delivery;
        double ms = Math.Min(d.MaxBackoff.TotalMilliseconds, d.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        if (ms > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeliveryOutcome> DeadLetterAsync(
        NotificationRequested message, string reason, int attempts, Func<NotificationDeliveryFailed, CancellationToken, Task>? publishFailure, CancellationToken cancellationToken)
    {
        var letter = new NotificationDeliveryFailed { Notification = message, Reason = reason, Attempts = attempts, FailedAt = clock.GetUtcNow() };
        deadLetters.Add(letter);
        metrics.Delivered(message.Trigger, message.Service, succeeded: false, null);
        LogDeadLettered(logger, message.Trigger, message.Service, message.Recipient, message.Object.Namespace, message.Object.Name, message.Id, attempts, reason);
        if (publishFailure is not null)
        {
            await publishFailure(letter, cancellationToken).ConfigureAwait(false);
        }

        return DeliveryOutcome.DeadLettered;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "notification {MessageId} ({Trigger} to {Service} {Recipient}) was already sent; skipped")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string trigger, string service, string recipient);

    [LoggerMessage(Level = LogLevel.Information, Message = "sent {Trigger} to {{{Service} {Recipient}}} for {Namespace}/{Name} (message {MessageId})")]
    private static partial void LogSent(ILogger logger, string trigger, string service, string recipient, string @namespace, string name, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "recorded {Trigger} to {{{Service} {Recipient}}} for {Namespace}/{Name} (message {MessageId}) in the inbox (no service of that name is configured, or the inbox captures everything)")]
    private static partial void LogRecorded(ILogger logger, string trigger, string service, string recipient, string @namespace, string name, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service} {Recipient}: rate limited; waiting {Seconds} s as asked")]
    private static partial void LogRateLimited(ILogger logger, string service, string recipient, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "attempt {Attempt}/{MaxAttempts} to {Service} {Recipient} failed: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, int attempt, int maxAttempts, string service, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "notification {Trigger} to {{{Service} {Recipient}}} for {Namespace}/{Name} (message {MessageId}) failed after {Attempts} attempts and is in the dead letters: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string trigger, string service, string recipient, string @namespace, string name, Guid messageId, int attempts, string reason);
}
