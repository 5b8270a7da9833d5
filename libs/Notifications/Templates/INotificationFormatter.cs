namespace Lookout.Notifications.Templates;

/// <summary>Formats a notification from templates.</summary>
public interface INotificationFormatter
{
    /// <summary>
    /// Renders the named templates in order into one notification (a later template's non-empty field wins).
    /// </summary>
    /// <exception cref="NotificationTemplateException">A template is missing or fails to render.</exception>
    Notification Format(IReadOnlyDictionary<string, object?> vars, IReadOnlyList<string> templates);
}

/// <summary>A template is missing or failed to render.</summary>
public sealed class NotificationTemplateException : Exception
{
    public NotificationTemplateException()
    {
    }

    public NotificationTemplateException(string message)
        : base(message)
    {
    }

    public NotificationTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
