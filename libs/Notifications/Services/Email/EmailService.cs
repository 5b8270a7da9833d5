using System.Net.Sockets;
using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Lookout.Notifications.Services.Email;

/// <summary><c>service.email</c>: settings as notifications-engine's <c>EmailOptions</c>.</summary>
public sealed record EmailOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 587;

    public string Username { get; init; } = string.Empty;

    public string Password { get; init; } = string.Empty;

    public required string From { get; init; }

    /// <summary>Sends the body as HTML.</summary>
    public bool Html { get; init; }

    /// <summary>Accepts any server certificate (<c>insecure_skip_verify</c>).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary><c>auto</c> (TLS on port 465, STARTTLS when offered otherwise), <c>tls</c>, <c>starttls</c> or <c>none</c>.</summary>
    public string Security { get; init; } = "auto";
}

/// <summary>The <c>email</c> service type.</summary>
public sealed class EmailServiceType : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => "email";

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        string host = ServiceSettings.String(settings, "host");
        string from = ServiceSettings.String(settings, "from");
        if (host.Length == 0)
        {
            throw new FormatException("setting 'host' is required");
        }

        if (from.Length == 0)
        {
            throw new FormatException("setting 'from' is required");
        }

        string security = ServiceSettings.String(settings, "security", "auto").ToLowerInvariant();
        if (security is not ("auto" or "tls" or "starttls" or "none"))
        {
            throw new FormatException("setting 'security' must be auto, tls, starttls or none");
        }

        return new EmailService(new EmailOptions
        {
            Host = host,
            Port = ServiceSettings.Int(settings, "port", 587),
            Username = ServiceSettings.String(settings, "username"),
            Password = ServiceSettings.String(settings, "password"),
            From = from,
            Html = ServiceSettings.Bool(settings, "html"),
            InsecureSkipVerify = ServiceSettings.Bool(settings, "insecure_skip_verify") || ServiceSettings.Bool(settings, "insecureSkipVerify"),
            Security = security,
        });
    }
}

/// <summary>Sends mail through SMTP with MailKit: subject from <c>email.subject</c>, body from <c>email.body</c> or the message.</summary>
public sealed class EmailService(EmailOptions options) : INotificationService
{
    /// <inheritdoc/>
    public async Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        (string subject, string body) = Content(notification);
        var message = new MimeMessage();
        try
        {
            message.From.Add(MailboxAddress.Parse(options.From));
            foreach (string to in destination.Recipient.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                message.To.Add(MailboxAddress.Parse(to));
            }
        }
        catch (ParseException ex)
        {
            throw new NotificationSendException($"email: invalid address: {ex.Message}", retryable: false, ex);
        }

        if (message.To.Count == 0)
        {
            throw new NotificationSendException("email: no recipient address", retryable: false);
        }

        message.Subject = subject;
        message.Body = new TextPart(options.Html ? "html" : "plain") { Text = body };

        using var client = new SmtpClient();
        if (options.InsecureSkipVerify)
        {
#pragma warning disable CA5359 // The user asked for it with insecure_skip_verify, as upstream offers.
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        SecureSocketOptions security = options.Security switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "starttls" => SecureSocketOptions.StartTls,
            "none" => SecureSocketOptions.None,
            _ => options.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
        };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, security, cancellationToken).ConfigureAwait(false);
            if (options.Username.Length > 0)
            {
                await client.AuthenticateAsync(options.Username, options.Password, cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex)
        {
            // 4xx replies are transient by SMTP's own definition; 5xx are final.
            throw new NotificationSendException($"email: the server refused: {(int)ex.StatusCode} {ex.Message}", retryable: (int)ex.StatusCode < 500, ex);
        }
        catch (AuthenticationException ex)
        {
            throw new NotificationSendException("email: authentication failed", retryable: false, ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or SslHandshakeException)
        {
            throw new NotificationSendException($"email: cannot reach {options.Host}:{options.Port}: {ex.Message}", retryable: true, ex);
        }
    }

    /// <summary>The subject (<c>email.subject</c>) and body (<c>email.body</c>, else the message) of a notification.</summary>
    public static (string Subject, string Body) Content(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        string body = notification.Field("email", "body");
        return (notification.Field("email", "subject"), body.Length > 0 ? body : notification.Message);
    }
}
