using System.Text;
using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;

namespace Lookout.Notifications.Services.Teams;

/// <summary>The <c>teams</c> service type: <c>recipientUrls</c> maps a recipient name to an Office 365 connector webhook URL.</summary>
public sealed class TeamsServiceType : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => "teams";

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TeamsService(RecipientUrls(settings), context.HttpClients("teams"), context.Clock);
    }

    /// <summary>The <c>recipientUrls</c> setting.</summary>
    public static IReadOnlyDictionary<string, string> RecipientUrls(JsonObject settings)
    {
        var urls = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ServiceSettings.Get(settings, "recipientUrls") is JsonObject map)
        {
            foreach ((string name, JsonNode? url) in map)
            {
                string text = url is JsonValue v && v.TryGetValue(out string? s) ? s : string.Empty;
                if (!Uri.TryCreate(text, UriKind.Absolute, out _))
                {
                    throw new FormatException($"setting 'recipientUrls.{name}' must be an absolute URL");
                }

                urls[name] = text;
            }
        }

        return urls;
    }
}

/// <summary>Posts a MessageCard (title, summary, text, themeColor, sections, facts, potentialAction) or the template's own <c>teams.template</c>.</summary>
public sealed class TeamsService(IReadOnlyDictionary<string, string> recipientUrls, HttpClient http, TimeProvider clock) : INotificationService
{
    /// <inheritdoc/>
    public async Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        if (!recipientUrls.TryGetValue(destination.Recipient, out string? url))
        {
            throw new NotificationSendException($"no teams webhook configured for recipient {destination.Recipient}", retryable: false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Payload(notification), Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await HttpAnswers.SendAsync(http, request, "teams", cancellationToken).ConfigureAwait(false);
        await HttpAnswers.EnsureSuccessAsync(response, "teams", clock, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body != "1")
        {
            throw new NotificationSendException($"teams webhook post error: {body}", retryable: false);
        }
    }

    /// <summary>The JSON posted for a notification.</summary>
    public static string Payload(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        string template = notification.Field("teams", "template");
        if (template.Length > 0)
        {
            return template;
        }

        var card = new JsonObject { ["@type"] = "MessageCard", ["@context"] = "https://schema.org/extensions" };
        Set(card, "title", notification.Field("teams", "title"));
        Set(card, "summary", notification.Field("teams", "summary"));
        string text = notification.Field("teams", "text");
        card["text"] = text.Length > 0 ? text : notification.Message;
        Set(card, "themeColor", notification.Field("teams", "themeColor"));
        var sections = new JsonArray();
        string sectionsText = notification.Field("teams", "sections");
        if (sectionsText.Length > 0 && ServiceSettings.ParseJson(sectionsText, "teams sections") is JsonArray given)
        {
            foreach (JsonNode? s in given)
            {
                sections.Add(s?.DeepClone());
            }
        }

        string facts = notification.Field("teams", "facts");
        if (facts.Length > 0)
        {
            sections.Add(new JsonObject { ["facts"] = ServiceSettings.ParseJson(facts, "teams facts") });
        }

        if (sections.Count > 0)
        {
            card["sections"] = sections;
        }

        string actions = notification.Field("teams", "potentialAction");
        if (actions.Length > 0)
        {
            card["potentialAction"] = ServiceSettings.ParseJson(actions, "teams potentialAction");
        }

        return card.ToJsonString();
    }

    private static void Set(JsonObject card, string name, string value)
    {
        if (value.Length > 0)
        {
            card[name] = value;
        }
    }
}
