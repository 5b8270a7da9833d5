using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lookout.Notifications.Services.Inbox;

/// <summary>What became of a message the inbox shows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InboxStatus>))]
public enum InboxStatus
{
    /// <summary>No service is configured under this name: the inbox shows what would have been sent.</summary>
    Recorded,

    /// <summary>The configured service accepted it.</summary>
    Sent,

    /// <summary>The configured service refused it, or it could not be rendered; it is in the dead letters.</summary>
    Failed,
}

/// <summary>
/// One message a destination received (or would have): the payload as its service type sends it (a Slack
/// <c>chat.postMessage</c> body, an email's subject and body, a Teams card, a webhook request), secrets masked.
/// </summary>
public sealed record InboxMessage
{
    /// <summary>The inbox's number for it (1, 2, …), in arrival order; 0 before the inbox stores it.</summary>
    public long Id { get; init; }

    /// <summary>The inbox's change counter when it was stored or last updated.</summary>
    public long Version { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>When a later message with the same grouping key updated it (Slack's <c>Update</c> policies).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>How many times it was updated.</summary>
    public int Edits { get; init; }

    /// <summary>The service's name (<c>slack</c>, <c>github</c> for <c>service.webhook.github</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The service type: slack, email, teams, teams-workflows, webhook, or another (shown as its message).</summary>
    public required string Type { get; init; }

    public string Recipient { get; init; } = string.Empty;

    public string Trigger { get; init; } = string.Empty;

    /// <summary>The object's kind (Application, Rollout), namespace and name.</summary>
    public string Kind { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    /// <summary>The notification's id on the bus.</summary>
    public Guid NotificationId { get; init; }

    public InboxStatus Status { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>The payload, shaped by <see cref="Type"/> (see <see cref="InboxRendering"/>).</summary>
    public required JsonObject Payload { get; init; }

    /// <summary>Slack's <c>groupingKey</c>: messages with the same key to the same channel form one thread.</summary>
    public string GroupingKey { get; init; } = string.Empty;

    /// <summary>Slack's <c>deliveryPolicy</c>: Post, Update or PostAndUpdate.</summary>
    public string DeliveryPolicy { get; init; } = "Post";

    /// <summary>The <see cref="Id"/> of the thread's first message, for a reply in a thread.</summary>
    public long? ThreadOf { get; init; }
}
