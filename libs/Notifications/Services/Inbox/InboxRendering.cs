using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Notifications.Services.Email;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.Services.Teams;
using Lookout.Notifications.Services.TeamsWorkflows;
using Lookout.Notifications.Services.Webhook;
using Lookout.Notifications.Templates;

namespace Lookout.Notifications.Services.Inbox;

/// <summary>
/// Renders a notification as its service type sends it, for the inbox, with the service's own payload builders:
/// <list type="bullet">
/// <item><c>slack</c>: the <c>chat.postMessage</c> body (<c>channel</c>, <c>text</c>, <c>attachments</c>, <c>blocks</c>, …).</item>
/// <item><c>email</c>: <c>from</c>, <c>to</c>, <c>subject</c>, <c>body</c>, <c>html</c>.</item>
/// <item><c>teams</c>, <c>teams-workflows</c>: <c>card</c> (the JSON posted), or <c>raw</c> when a template's text is not JSON.</item>
/// <item><c>webhook</c>: <c>method</c>, <c>path</c> (never the URL's host: a webhook URL is a secret), <c>headers</c>, <c>body</c>.</item>
/// <item>any other type: <c>message</c> and the whole <c>notification</c>.</item>
/// </list>
/// Every value of the Secret, and the values of credential headers, are masked.
/// </summary>
public static partial class InboxRendering
{
    /// <summary>What a masked value is shown as.</summary>
    public const string Mask = "••••••";

    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal) { "slack", "email", "teams", "teams-workflows", "webhook" };

    /// <summary>
    /// The type a service name stands for when no service is configured under it: the name itself for a built-in type
    /// (<c>slack</c>, <c>email</c>, <c>teams</c>, …), <c>webhook</c> when the notification has a
    /// <c>webhook.&lt;name&gt;</c> section, else the name.
    /// </summary>
    public static string TypeOf(string service, Notification notification)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(notification);
        if (KnownTypes.Contains(service))
        {
            return service;
        }

        return notification.Section("webhook")?[service] is JsonObject ? "webhook" : service;
    }

    /// <summary>Renders a notification for the inbox.</summary>
    /// <param name="notification">The rendered notification.</param>
    /// <param name="destination">The service's name and the recipient.</param>
    /// <param name="type">The service type.</param>
    /// <param name="settings">The configured service's settings (secrets replaced), or null when none is configured.</param>
    /// <param name="secrets">The Secret's values, masked wherever they appear.</param>
    /// <returns>The inbox message (without id, time, status or the bus's details).</returns>
    /// <exception cref="NotificationSendException">A field the type parses as JSON is not JSON (as the service itself would fail).</exception>
    public static InboxMessage Render(Notification notification, Destination destination, string type, JsonObject? settings, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(type);
        JsonObject payload = type switch
        {
            "slack" => Slack(notification, destination, settings),
            "email" => EmailPayload(notification, destination, settings),
            "teams" => Card(TeamsService.Payload(notification)),
            "teams-workflows" => Card(TeamsWorkflowsService.Payload(notification)),
            "webhook" => WebhookPayload(notification, destination, settings),
            _ => new JsonObject { ["message"] = notification.Message, ["notification"] = notification.ToJson() },
        };
        bool slack = type == "slack";
        return new InboxMessage
        {
            Service = destination.Service,
            Type = type,
            Recipient = destination.Recipient,
            Payload = MaskSecrets(payload, secrets),
            GroupingKey = slack ? notification.Field("slack", "groupingKey") : string.Empty,
            DeliveryPolicy = slack && notification.Field("slack", "deliveryPolicy") is "Update" or "PostAndUpdate" ? notification.Field("slack", "deliveryPolicy") : "Post",
        };
    }

    /// <summary>Replaces every occurrence of a secret value (of four characters or more) in the payload's strings with <see cref="Mask"/>.</summary>
    public static JsonObject MaskSecrets(JsonObject payload, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(secrets);
        string[] values = [.. secrets.Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
        if (values.Length > 0)
        {
            MaskIn(payload, values);
        }

        return payload;
    }

    private static JsonObject Slack(Notification notification, Destination destination, JsonObject? settings)
    {
        var options = settings is null
            ? new SlackOptions()
            : new SlackOptions
            {
                Username = ServiceSettings.String(settings, "username"),
                Icon = ServiceSettings.String(settings, "icon"),
                DisableUnfurl = ServiceSettings.Bool(settings, "disableUnfurl"),
            };
        JsonObject message = SlackService.BuildMessage(notification, options);
        message["channel"] = destination.Recipient;
        if (notification.Flag("slack", "notifyBroadcast"))
        {
            message["reply_broadcast"] = true;
        }

        return message;
    }

    private static JsonObject EmailPayload(Notification notification, Destination destination, JsonObject? settings)
    {
        (string subject, string body) = EmailService.Content(notification);
        return new JsonObject
        {
            ["from"] = settings is null ? string.Empty : ServiceSettings.String(settings, "from"),
            ["to"] = destination.Recipient,
            ["subject"] = subject,
            ["body"] = body,
            ["html"] = settings is null ? HtmlTag().IsMatch(body) : ServiceSettings.Bool(settings, "html"),
        };
    }

    private static JsonObject Card(string json)
    {
        try
        {
            return new JsonObject { ["card"] = JsonNode.Parse(json) };
        }
        catch (JsonException)
        {
            return new JsonObject { ["raw"] = json };
        }
    }

    private static JsonObject WebhookPayload(Notification notification, Destination destination, JsonObject? settings)
    {
        string url = settings is null ? string.Empty : ServiceSettings.String(settings, "url");
        (string method, string target, string body) = WebhookService.Request(notification, url, destination.Service);
        string path = Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute) ? absolute.PathAndQuery : target;
        var headers = new JsonArray();
        if (settings is not null && ServiceSettings.Get(settings, "headers") is JsonArray list)
        {
            foreach (JsonObject header in list.OfType<JsonObject>())
            {
                string name = ServiceSettings.String(header, "name");
                string value = ServiceSettings.String(header, "value");
                headers.Add(new JsonObject { ["name"] = name, ["value"] = CredentialHeader().IsMatch(name) ? MaskCredential(value) : value });
            }
        }

        if (settings is not null && ServiceSettings.Get(settings, "basicAuth") is JsonObject)
        {
            headers.Add(new JsonObject { ["name"] = "Authorization", ["value"] = "Basic " + Mask });
        }

        return new JsonObject
        {
            ["method"] = method,
            ["path"] = path.Length > 0 ? path : "/",
            ["headers"] = headers,
            ["body"] = body,
        };
    }

    /// <summary>A credential with its scheme kept: <c>Bearer ••••••</c>.</summary>
    private static string MaskCredential(string value)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return space is > 0 and <= 10 && value[..space].All(char.IsAsciiLetter) ? value[..space] + " " + Mask : Mask;
    }

    private static void MaskIn(JsonNode node, string[] secrets)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? child) in obj.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue(out string? s))
                    {
                        obj[key] = Replace(s, secrets);
                    }
                    else if (child is not null)
                    {
                        MaskIn(child, secrets);
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue(out string? s))
                    {
                        array[i] = Replace(s, secrets);
                    }
                    else if (array[i] is { } child)
                    {
                        MaskIn(child, secrets);
                    }
                }

                break;
            default:
                break;
        }
    }

    private static string Replace(string text, string[] secrets)
    {
        foreach (string secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    [GeneratedRegex(@"<(html|body|p|div|br|table|h[1-6]|a|b|strong|ul|ol|li|span)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex("authorization|token|secret|password|passwd|api-?key|cookie|signature|credential", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialHeader();
}
