using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Inbox;
using Lookout.Notifications.Subscriptions;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;
using Lookout.Notifier.Tools;
using Lookout.Values;

namespace Lookout.AllInOne.Inbox;

/// <summary>What the config author asks: an object (YAML or JSON), a trigger, and optionally a ConfigMap (with its Secret) to use instead of the running one.</summary>
/// <param name="Object">The Application or Rollout.</param>
/// <param name="Trigger">The trigger's name.</param>
/// <param name="Config">A ConfigMap (and Secret) as YAML documents; empty for the running configuration.</param>
public sealed record PreviewRequest(string Object, string Trigger, string? Config = null);

/// <summary>
/// The config author: runs a trigger on a pasted object as <c>notifier trigger run</c> does, renders each template
/// of its conditions as <c>notifier template notify</c> does, and shows each as the inbox would for every destination
/// the object subscribes to that trigger (or, without one, for every service type the notification has a section for).
/// </summary>
public static class ConfigAuthor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The preview: <c>conditions</c>, <c>notifications</c> (each with its <c>json</c> and rendered <c>previews</c>), <c>errors</c>, <c>problems</c>.</summary>
    public static JsonObject Preview(PreviewRequest request, NotificationConfig running)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(running);
        var errors = new List<string>();
        var result = new JsonObject();
        try
        {
            NotificationConfig config = running;
            if (!string.IsNullOrWhiteSpace(request.Config))
            {
                config = NotificationConfigParser.Parse(
                    ConfigMapData.FromYaml(request.Config, "pasted ConfigMap"), ServiceTypes.BuiltIn(), ReplayCommand.OfflineServices(), NotificationConfigParser.Catalog);
                result["problems"] = new JsonArray([.. config.Problems.Select(p => (JsonNode?)$"{p.Key}: {ToolArguments.FirstLine(p.Message)}")]);
            }

            (ObjectMap obj, string kind) = TriggerRunCommand.ReadObject(request.Object, "pasted object");
            result["kind"] = kind;
            IReadOnlyList<ConditionResult> conditions = TriggerRunCommand.RunTrigger(config, kind, obj, request.Trigger, errors);
            result["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode?)new JsonObject
            {
                ["key"] = c.Key,
                ["triggered"] = c.Triggered,
                ["oncePer"] = c.OncePer,
                ["templates"] = new JsonArray([.. c.Templates.Select(t => (JsonNode?)t)]),
            })]);
            IReadOnlyList<Destination> subscribed = Subscribed(obj, config, request.Trigger);
            var notifications = new JsonArray();
            foreach (string template in conditions.SelectMany(c => c.Templates).Distinct(StringComparer.Ordinal))
            {
                notifications.Add(Render(config, kind, obj, template, subscribed, errors));
            }

            result["notifications"] = notifications;
        }
        catch (KeyNotFoundException ex)
        {
            errors.Add(ex.Message.Trim('"'));
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }

        result["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)e)]);
        return result;
    }

    private static JsonObject Render(NotificationConfig config, string kind, ObjectMap obj, string template, IReadOnlyList<Destination> subscribed, List<string> errors)
    {
        var entry = new JsonObject { ["template"] = template };
        Notification plain;
        try
        {
            plain = TriggerRunCommand.Notify(config, kind, obj, template, new Destination("console", string.Empty));
        }
        catch (NotificationTemplateException ex)
        {
            errors.Add(ex.Message);
            return entry;
        }

        entry["json"] = InboxRendering.MaskSecrets(plain.ToJson(), config.Secrets.Values);
        IReadOnlyList<Destination> destinations = subscribed.Count > 0 ? subscribed : Sections(plain);
        var previews = new JsonArray();
        foreach (Destination destination in destinations)
        {
            try
            {
                Notification n = TriggerRunCommand.Notify(config, kind, obj, template, destination);
                ConfigService? service = config.Services.GetValueOrDefault(destination.Service);
                string type = service?.Type ?? InboxRendering.TypeOf(destination.Service, n);
                InboxMessage message = InboxRendering.Render(n, destination, type, service?.Settings, config.Secrets.Values) with
                {
                    Trigger = template,
                    Kind = kind,
                    Namespace = (obj.GetValueOrDefault("metadata") as ObjectMap)?.GetValueOrDefault("namespace") as string ?? string.Empty,
                    Name = (obj.GetValueOrDefault("metadata") as ObjectMap)?.GetValueOrDefault("name") as string ?? string.Empty,
                };
                previews.Add(JsonSerializer.SerializeToNode(message, Json));
            }
            catch (Exception ex) when (ex is NotificationTemplateException or NotificationSendException)
            {
                errors.Add($"{destination.Service}: {ex.Message}");
            }
        }

        entry["previews"] = previews;
        return entry;
    }

    /// <summary>The destinations the object's annotations (and the ConfigMap's default subscriptions) give the trigger.</summary>
    private static List<Destination> Subscribed(ObjectMap obj, NotificationConfig config, string trigger)
    {
        Destinations destinations = SubscriptionAnnotations.GetDestinations(NotificationController.StringMap(obj, "annotations"), config.DefaultTriggers, config.ServiceDefaultTriggers);
        destinations.Merge(DefaultSubscription.ForLabels(config.Subscriptions, config.DefaultTriggers, NotificationController.StringMap(obj, "labels")));
        return destinations.ByTrigger.TryGetValue(trigger, out List<Destination>? list) ? [.. list.Distinct()] : [];
    }

    /// <summary>One preview destination per service type the notification has a section for (Slack when it has none).</summary>
    private static List<Destination> Sections(Notification notification)
    {
        var list = new List<Destination>();
        foreach ((string type, JsonNode? section) in notification.Sections)
        {
            if (type == "webhook" && section is JsonObject webhooks)
            {
                list.AddRange(webhooks.Select(w => new Destination(w.Key, string.Empty)));
            }
            else if (type is "slack" or "email" or "teams" or "teams-workflows")
            {
                list.Add(new Destination(type, type == "email" ? "preview@example.com" : "preview"));
            }
        }

        return list.Count > 0 ? list : [new Destination("slack", "preview")];
    }
}
