using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Notifications.Templates;

namespace Lookout.Notifications.Services.Slack;

/// <summary><c>service.slack</c>: settings as notifications-engine's <c>SlackOptions</c>.</summary>
public sealed record SlackOptions
{
    /// <summary>A bot token (<c>xoxb-…</c>), or an incoming-webhook URL (<c>https://hooks.slack.com/services/…</c>).</summary>
    public string Token { get; init; } = string.Empty;

    public string Username { get; init; } = string.Empty;

    /// <summary>An emoji (<c>:robot:</c>) or an image URL.</summary>
    public string Icon { get; init; } = string.Empty;

    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Slack's Web API base, <c>https://slack.com/api/</c> unless set.</summary>
    public string ApiUrl { get; init; } = "https://slack.com/api/";

    public bool DisableUnfurl { get; init; }

    /// <summary>Whether <see cref="Token"/> is an incoming-webhook URL rather than a bot token.</summary>
    public bool IsWebhook => Token.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || Token.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The <c>slack</c> service type.</summary>
public sealed class SlackServiceType : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => "slack";

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new SlackOptions
        {
            Token = ServiceSettings.String(settings, "token"),
            Username = ServiceSettings.String(settings, "username"),
            Icon = ServiceSettings.String(settings, "icon"),
            Channels = ServiceSettings.Strings(settings, "channels"),
            ApiUrl = ServiceSettings.String(settings, "apiURL", "https://slack.com/api/"),
            DisableUnfurl = ServiceSettings.Bool(settings, "disableUnfurl"),
        };
        if (options.Token.Length == 0)
        {
            throw new FormatException("setting 'token' is required (a bot token or an incoming-webhook URL)");
        }

        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out _))
        {
            throw new FormatException("setting 'apiURL' must be an absolute URL");
        }

        return new SlackService(options, context.HttpClients("slack"), context.SlackThreads, context.Clock);
    }
}

/// <summary>
/// Posts to Slack as notifications-engine's threaded client: <c>chat.postMessage</c> (threads by grouping key,
/// broadcast), <c>chat.update</c> for the Update and PostAndUpdate delivery policies, or an incoming webhook.
/// </summary>
public sealed partial class SlackService(SlackOptions options, HttpClient http, ISlackThreadStore threads, TimeProvider clock) : INotificationService
{
    /// <inheritdoc/>
    public async Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        JsonObject message = BuildMessage(notification, options);
        if (options.IsWebhook)
        {
            if (destination.Recipient.Length > 0)
            {
                message["channel"] = destination.Recipient;
            }

            await PostWebhookAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        string groupingKey = notification.Field("slack", "groupingKey");
        bool broadcast = notification.Flag("slack", "notifyBroadcast");
        string policy = notification.Field("slack", "deliveryPolicy") switch
        {
            "PostAndUpdate" => "PostAndUpdate",
            "Update" => "Update",
            _ => "Post",
        };
        string? ts = groupingKey.Length > 0 ? threads.GetThread(destination.Service, destination.Recipient, groupingKey) : null;
        if (ts is not null)
        {
            message["thread_ts"] = ts;
        }

        if (ts is null || policy != "Update")
        {
            JsonObject post = (JsonObject)message.DeepClone();
            post["channel"] = destination.Recipient;
            if (broadcast)
            {
                post["reply_broadcast"] = true;
            }

            JsonElement answer = await CallAsync("chat.postMessage", post, cancellationToken).ConfigureAwait(false);
            string newTs = answer.TryGetProperty("ts", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
            string channel = answer.TryGetProperty("channel", out JsonElement c) ? c.GetString() ?? destination.Recipient : destination.Recipient;
            if (groupingKey.Length > 0 && ts is null && newTs.Length > 0)
            {
                threads.SetThread(destination.Service, destination.Recipient, groupingKey, newTs);
            }

            threads.SetChannel(destination.Service, destination.Recipient, channel);
        }

        if (ts is not null && policy != "Post")
        {
            JsonObject update = (JsonObject)message.DeepClone();
            update.Remove("thread_ts");
            update["channel"] = threads.GetChannel(destination.Service, destination.Recipient) ?? destination.Recipient;
            update["ts"] = ts;
            update["as_user"] = true;
            await CallAsync("chat.update", update, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The message fields (text, username, icon, attachments, blocks, unfurl) of a notification.</summary>
    public static JsonObject BuildMessage(Notification notification, SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(options);
        var message = new JsonObject { ["text"] = notification.Message };
        string username = notification.Field("slack", "username");
        if (username.Length == 0)
        {
            username = options.Username;
        }

        if (username.Length > 0)
        {
            message["username"] = username;
        }

        string icon = notification.Field("slack", "icon");
        if (icon.Length == 0)
        {
            icon = options.Icon;
        }

        if (EmojiPattern().IsMatch(icon))
        {
            message["icon_emoji"] = icon;
        }
        else if (Uri.TryCreate(icon, UriKind.Absolute, out Uri? url) && (url.Scheme == "http" || url.Scheme == "https") && url.Host.Length > 0)
        {
            message["icon_url"] = icon;
        }

        if (notification.Section("slack") is not null)
        {
            string attachments = notification.Field("slack", "attachments");
            if (attachments.Trim().Length > 0)
            {
                message["attachments"] = ServiceSettings.ParseJson(attachments, "attachments");
            }

            string blocks = notification.Field("slack", "blocks");
            if (blocks.Trim().Length > 0)
            {
                message["blocks"] = ServiceSettings.ParseJson(blocks, "blocks");
            }
        }

        if (options.DisableUnfurl)
        {
            message["unfurl_links"] = false;
            message["unfurl_media"] = false;
        }

        return message;
    }

    private async Task<JsonElement> CallAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.ApiUrl.TrimEnd('/') + "/" + method)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        using HttpResponseMessage response = await HttpAnswers.SendAsync(http, request, "slack", cancellationToken).ConfigureAwait(false);
        await HttpAnswers.EnsureSuccessAsync(response, $"slack {method}", clock, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement answer;
        try
        {
            answer = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new NotificationSendException($"slack {method}: the answer is not JSON", retryable: true);
        }

        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("ok", out JsonElement ok) || ok.ValueKind != JsonValueKind.True)
        {
            string error = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out JsonElement e) ? e.GetString() ?? "unknown" : "unknown";
            if (error == "ratelimited")
            {
                throw new RateLimitedException($"slack {method}: ratelimited", HttpAnswers.RetryAfter(response, clock));
            }

            throw new NotificationSendException($"slack {method}: {error}", retryable: error is "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout");
        }

        return answer;
    }

    private async Task PostWebhookAsync(JsonObject message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Token)
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using HttpResponseMessage response = await HttpAnswers.SendAsync(http, request, "slack webhook", cancellationToken).ConfigureAwait(false);
        await HttpAnswers.EnsureSuccessAsync(response, "slack webhook", clock, cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^:.+:$")]
    private static partial Regex EmojiPattern();
}
