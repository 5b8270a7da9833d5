using System.Text.Json;

namespace Lookout.Contracts;

/// <summary>
/// Version 1. One notification to deliver: a trigger's condition became true for an object and a destination that
/// had not been notified. Published by the notifier's evaluation step, consumed by its delivery step. The message
/// id is deterministic — the first 16 bytes of SHA-256 over
/// "object uid/trigger/condition key/oncePer value or resourceVersion/service/recipient" — so an event delivered
/// twice yields the same id and is sent once.
/// </summary>
public sealed record NotificationRequested
{
    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The deterministic id (also the bus message id).</summary>
    public required Guid Id { get; init; }

    /// <summary><c>Application</c> or <c>Rollout</c>.</summary>
    public required string Kind { get; init; }

    public required ObjectIdentity Object { get; init; }

    /// <summary>The resourceVersion of the object version that fired the trigger.</summary>
    public required string ResourceVersion { get; init; }

    /// <summary>When the watcher observed that version (the start of the event-to-delivery latency).</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>The trigger's name.</summary>
    public required string Trigger { get; init; }

    /// <summary>The condition's key (<c>[0].&lt;sha1 of when&gt;</c>).</summary>
    public required string ConditionKey { get; init; }

    /// <summary>The oncePer value, or empty.</summary>
    public string OncePer { get; init; } = string.Empty;

    /// <summary>The configured service's name (<c>slack</c>, or <c>ops</c> for <c>service.webhook.ops</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The recipient (a channel, addresses); empty when the service needs none.</summary>
    public required string Recipient { get; init; }

    /// <summary>The templates the condition sends.</summary>
    public required IReadOnlyList<string> Templates { get; init; }

    /// <summary>The rendered notification: <c>{"message": …, "slack": {…}, "email": {…}, "webhook": {…}, …}</c>.</summary>
    public required JsonElement Notification { get; init; }

    /// <summary>
    /// Added in version 1.1. The namespace of the self-service configuration (the ConfigMap and Secret in the object's
    /// own namespace) whose services deliver it; null for the controller's own configuration.
    /// </summary>
    public string? ConfigNamespace { get; init; }
}

/// <summary>
/// Version 1. A notification that could not be delivered after every retry: it is in the notifier's dead letters
/// (listed at <c>GET /notifications/dead-letters</c>, replayable with <c>POST /notifications/dead-letters/{id}/replay</c>)
/// and was never recorded as sent.
/// </summary>
public sealed record NotificationDeliveryFailed
{
    /// <summary>The schema version of this record; fields are only ever added.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The notification.</summary>
    public required NotificationRequested Notification { get; init; }

    /// <summary>Why the last attempt failed (the service's answer; never a secret).</summary>
    public required string Reason { get; init; }

    /// <summary>How many attempts were made.</summary>
    public required int Attempts { get; init; }

    public required DateTimeOffset FailedAt { get; init; }
}
