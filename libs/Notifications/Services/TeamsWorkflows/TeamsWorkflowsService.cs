using System.Text;
using System.Text.Json.Nodes;
using Lookout.Notifications.Services.Teams;
using Lookout.Notifications.Templates;
using Lookout.Values;

namespace Lookout.Notifications.Services.TeamsWorkflows;

/// <summary>The <c>teams-workflows</c> service type: <c>recipientUrls</c> maps a recipient to a Power Automate workflow URL.</summary>
public sealed class TeamsWorkflowsServiceType : INotificationServiceType
{
    /// <inheritdoc/>
    public string Name => "teams-workflows";

    /// <inheritdoc/>
    public INotificationService Create(JsonObject settings, ServiceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TeamsWorkflowsService(TeamsServiceType.RecipientUrls(settings), context.HttpClients("teams-workflows"), context.Clock);
    }
}

/// <summary>
/// Posts an Adaptive Card message (Microsoft retired connector webhooks): the template's <c>adaptiveCard</c> as it
/// is, or a card built from title, text, facts, sections and potentialAction as notifications-engine builds it.
/// </summary>
public sealed class TeamsWorkflowsService(IReadOnlyDictionary<string, string> recipientUrls, HttpClient http, TimeProvider clock) : INotificationService
{
    private const string Section = "teams-workflows";

    /// <inheritdoc/>
    public async Task SendAsync(Notification notification, Destination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(destination);
        if (!recipientUrls.TryGetValue(destination.Recipient, out string? url))
        {
            throw new NotificationSendException($"no teams-workflows webhook configured for recipient {destination.Recipient}", retryable: false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Payload(notification), Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await HttpAnswers.SendAsync(http, request, Section, cancellationToken).ConfigureAwait(false);
        await HttpAnswers.EnsureSuccessAsync(response, Section, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JSON posted for a notification.</summary>
    public static string Payload(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        string template = notification.Field(Section, "template");
        if (template.Length > 0)
        {
            return template;
        }

        string given = notification.Field(Section, "adaptiveCard");
        JsonNode card = given.Length > 0 ? ServiceSettings.ParseJson(given, "teams-workflows adaptiveCard") ?? new JsonObject() : BuildCard(notification);
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = card }),
        };
        return message.ToJsonString();
    }

    private static JsonObject BuildCard(Notification n)
    {
        var body = new JsonArray();
        string title = n.Field(Section, "title");
        string text = n.Field(Section, "text");
        if (text.Length == 0)
        {
            text = n.Message;
        }

        if (title.Length > 0)
        {
            var block = new JsonObject { ["type"] = "TextBlock", ["text"] = title, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true };
            string color = n.Field(Section, "themeColor");
            if (color.Length > 0)
            {
                block["color"] = color;
            }

            body.Add(block);
        }

        if (text.Length > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true });
        }

        string facts = n.Field(Section, "facts");
        if (facts.Length > 0)
        {
            AddFactSet(body, ServiceSettings.ParseJson(facts, "teams-workflows facts") as JsonArray);
        }

        string sections = n.Field(Section, "sections");
        if (sections.Length > 0 && ServiceSettings.ParseJson(sections, "teams-workflows sections") is JsonArray list)
        {
            foreach (JsonObject section in list.OfType<JsonObject>())
            {
                AddFactSet(body, section["facts"] as JsonArray);
            }
        }

        var card = new JsonObject { ["type"] = "AdaptiveCard", ["version"] = "1.4", ["body"] = body };
        string actions = n.Field(Section, "potentialAction");
        if (actions.Length > 0 && ServiceSettings.ParseJson(actions, "teams-workflows potentialAction") is JsonArray given)
        {
            var converted = new JsonArray();
            foreach (JsonObject action in given.OfType<JsonObject>())
            {
                string name = action["name"]?.ToString() ?? string.Empty;
                string? uri = (action["targets"] as JsonArray)?.OfType<JsonObject>().Select(t => t["uri"]?.ToString()).FirstOrDefault(u => !string.IsNullOrEmpty(u));
                if (uri is not null)
                {
                    converted.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = name, ["url"] = uri });
                }
            }

            if (converted.Count > 0)
            {
                card["actions"] = converted;
            }
        }

        return card;
    }

    private static void AddFactSet(JsonArray body, JsonArray? facts)
    {
        var set = new JsonArray();
        foreach (JsonObject fact in (facts ?? []).OfType<JsonObject>())
        {
            if (fact["name"] is JsonValue name && name.TryGetValue(out string? title))
            {
                string value = fact["value"] switch
                {
                    JsonValue v when v.TryGetValue(out string? s) => s,
                    null => string.Empty,
                    JsonNode other => GoFmt.ToString(ObjectModel.FromJson(other.ToJsonString())),
                };
                set.Add(new JsonObject { ["title"] = title, ["value"] = value });
            }
        }

        if (set.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = set });
        }
    }
}
