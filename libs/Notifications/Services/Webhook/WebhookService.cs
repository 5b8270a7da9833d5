using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;

namespace Lookout.Notifications.Services.Webhook;

/// <summary><c>service.webhook.&lt;name&gt;</c>: settings as notifications-engine's <c>WebhookOptions</c>.</summary>
public sealed record WebhookOptions
{
    public required string Url { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public (string Username, string Password)? BasicAuth { get; init; }

    public TimeSpan RetryWaitMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryWaitMax { get; init; } = TimeSpan.FromSeconds(5);

    public int RetryMax { get; init; } = 3;
}

/// <summary>The <c>webhook</c> service type.</summary>
public sealed class WebhookServiceType : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => "webhook";

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string url = ServiceSettings.String(settings, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new FormatException("setting 'url' must be an absolute URL");
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (ServiceSettings.Get(settings, "headers") is JsonArray list)
        {
            foreach (JsonObject header in list.OfType<JsonObject>())
            {
                headers.Add(new(ServiceSettings.String(header, "name"), ServiceSettings.String(header, "value")));
            }
        }

        (string, string)? basic = ServiceSettings.Get(settings, "basicAuth") is JsonObject auth
            ? (ServiceSettings.String(auth, "username"), ServiceSettings.String(auth, "password"))
            : null;
        int retryMax = ServiceSettings.Int(settings, "retryMax", 3);
        var options = new WebhookOptions
        {
            Url = url,
            Headers = headers,
            BasicAuth = basic,
            RetryWaitMin = ServiceSettings.Duration(settings, "retryWaitMin", TimeSpan.FromSeconds(1)),
            RetryWaitMax = ServiceSettings.Duration(settings, "retryWaitMax", TimeSpan.FromSeconds(5)),
            RetryMax = retryMax == 0 ? 3 : retryMax,
        };
        return new WebhookService(options, context.HttpClients("webhook"), context.Clock);
    }
}

/// <summary>
/// Calls a webhook as notifications-engine does: the message as body with GET, unless the template's
/// <c>webhook.&lt;service name&gt;</c> gives method, path (appended to the URL) and body; retried on connection errors
/// and 5xx answers with exponential backoff between <c>retryWaitMin</c> and <c>retryWaitMax</c>, <c>retryMax</c> times.
/// </summary>
public sealed class WebhookService(WebhookOptions options, HttpClient http, TimeProvider clock) : INotificationService
{
    /// <inheritdoc/>
    public async Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        (string method, string url, string body) = Request(notification, options.Url, destination.Service);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await SendOnceAsync(method, url, body, destination.Service, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (NotificationSendException ex) when (ex.Retryable && ex is not RateLimitedException && attempt < options.RetryMax)
            {
                double wait = Math.Min(options.RetryWaitMax.TotalMilliseconds, options.RetryWaitMin.TotalMilliseconds * Math.Pow(2, attempt));
                await Task.Delay(TimeSpan.FromMilliseconds(wait), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The method, URL and body a notification is sent with: the message with GET to <paramref name="url"/>, unless
    /// the notification's <c>webhook.&lt;service name&gt;</c> section gives a method, a path (appended) and a body.
    /// </summary>
    public static (string Method, string Url, string Body) Request(Notification notification, string url, string service)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(url);
        if (notification.Section("webhook")?[service] is not JsonObject overrides)
        {
            return ("GET", url, notification.Message);
        }

        string method = ServiceSettings.String(overrides, "method");
        string path = ServiceSettings.String(overrides, "path");
        return (
            method.Length > 0 ? method : "GET",
            path.Length > 0 ? url.TrimEnd('/') + "/" + path.TrimStart('/') : url,
            ServiceSettings.String(overrides, "body"));
    }

    private async Task SendOnceAsync(string method, string url, string body, string service, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = null;
        foreach ((string name, string value) in options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (options.BasicAuth is { } auth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.Username}:{auth.Password}")));
        }

        using HttpResponseMessage response = await HttpAnswers.SendAsync(http, request, $"webhook {service}", cancellationToken).ConfigureAwait(false);
        await HttpAnswers.EnsureSuccessAsync(response, $"webhook {service}", clock, cancellationToken).ConfigureAwait(false);
    }
}
