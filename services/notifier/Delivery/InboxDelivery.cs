using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Inbox;
using Lookout.Notifications.Templates;

namespace Lookout.Notifier.Delivery;

/// <summary>How the delivery step shows a notification in the inbox (when the host keeps one).</summary>
public static class InboxDelivery
{
    /// <summary>
    /// Shows a notification in the inbox with its outcome; returns null, or why it cannot be rendered as its service
    /// type sends it (then it is shown as failed, with its plain message).
    /// </summary>
    /// <param name="inbox">The inbox.</param>
    /// <param name="message">The notification as the bus carried it.</param>
    /// <param name="notification">The rendered notification.</param>
    /// <param name="service">The configured service, or null when the inbox stands in for one.</param>
    /// <param name="config">The configuration (its Secret's values are masked).</param>
    /// <param name="status">What became of it.</param>
    /// <param name="error">Why it failed.</param>
    public static string? Show(
        this Inbox inbox, NotificationRequested message, Notification notification, ConfigService? service, NotificationConfig config, InboxStatus status, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(config);
        var destination = new Destination(message.Service, message.Recipient);
        string type = service?.Type ?? InboxRendering.TypeOf(message.Service, notification);
        InboxMessage rendered;
        string? renderError = null;
        try
        {
            rendered = InboxRendering.Render(notification, destination, type, service?.Settings, config.Secrets.Values);
        }
        catch (NotificationSendException ex)
        {
            renderError = ex.Message;
            rendered = new InboxMessage
            {
                Service = message.Service,
                Type = type,
                Recipient = message.Recipient,
                Payload = InboxRendering.MaskSecrets(new JsonObject { ["message"] = notification.Message }, config.Secrets.Values),
            };
        }

        inbox.Add(rendered with
        {
            Trigger = message.Trigger,
            Kind = message.Kind,
            Namespace = message.Object.Namespace,
            Name = message.Object.Name,
            NotificationId = message.Id,
            Status = renderError is null ? status : InboxStatus.Failed,
            Error = renderError ?? error,
        });
        return renderError;
    }
}
