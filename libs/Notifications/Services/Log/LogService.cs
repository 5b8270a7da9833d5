using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifications.Services.Log;

/// <summary>The <c>log</c> (alias <c>console</c>) service type for the embedded mode and dry runs: writes the notification to the log.</summary>
public sealed class LogServiceType(string name) : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new LogService(context.Logs.CreateLogger<LogService>());
    }
}

/// <summary>Logs each notification at Information with its destination and message.</summary>
public sealed partial class LogService(ILogger<LogService> logger) : INotificationService
{
    /// <inheritdoc/>
    public Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        Sent(logger, destination.Service, destination.Recipient, notification.ToJson().ToJsonString());
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "notification to {Service} {Recipient}: {Notification}")]
    private static partial void Sent(ILogger logger, string service, string recipient, string notification);
}
