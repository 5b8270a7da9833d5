using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifications.Services;

/// <summary>Sends notifications to one configured service (<c>service.slack</c>, <c>service.webhook.github</c>…).</summary>
public interface INotificationService
{
    /// <summary>Sends the notification to the destination's recipient.</summary>
    /// <param name="notification">The rendered notification.</param>
    /// <param name="destination">The service name and recipient.</param>
    /// <param name="cancellationToken">Stops the send.</param>
    /// <exception cref="NotificationSendException">The service refused or could not be reached.</exception>
    Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken);
}

/// <summary>
/// A kind of service: its <c>service.&lt;type&gt;</c> name and how to build a service from its settings (the YAML of
/// the ConfigMap entry, with <c>$secret</c> references already replaced). A new type is one folder with one class
/// implementing this, registered in <see cref="ServiceTypes"/>.
/// </summary>
public interface INotificationServiceType
{
    /// <summary>The type's name in <c>service.&lt;type&gt;</c>.</summary>
    string Name { get; }

    /// <summary>Builds a service.</summary>
    /// <exception cref="FormatException">A setting is invalid; the message names the setting (never its value).</exception>
    INotificationService Create(JsonObject settings, ServiceContext context);
}

/// <summary>What services share: HTTP, the clock, logs, and where Slack keeps its thread timestamps.</summary>
public sealed class ServiceContext
{
    /// <summary>Creates HTTP clients (one per service name).</summary>
    public required Func<string, HttpClient> HttpClients { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public required ILoggerFactory Logs { get; init; }

    /// <summary>Thread and message timestamps of Slack, kept across restarts.</summary>
    public required Slack.ISlackThreadStore SlackThreads { get; init; }
}

/// <summary>A send failed.</summary>
public class NotificationSendException : Exception
{
    public NotificationSendException()
    {
    }

    public NotificationSendException(string message)
        : base(message)
    {
    }

    public NotificationSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a failure; <paramref name="retryable"/> false for an answer that will not change (a bad channel, a bad payload).</summary>
    public NotificationSendException(string message, bool retryable, Exception? innerException = null)
        : base(message, innerException)
    {
        Retryable = retryable;
    }

    /// <summary>Whether trying again may succeed.</summary>
    public bool Retryable { get; } = true;
}

/// <summary>The service asked to slow down (HTTP 429); not a failure: wait <see cref="RetryAfter"/> and send again.</summary>
public sealed class RateLimitedException : NotificationSendException
{
    public RateLimitedException()
    {
    }

    public RateLimitedException(string message)
        : base(message)
    {
    }

    public RateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates one with the wait the service asked for.</summary>
    public RateLimitedException(string message, TimeSpan retryAfter)
        : base(message) => RetryAfter = retryAfter;

    /// <summary>How long the service asked to wait.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
