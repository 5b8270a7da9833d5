using System.Text.Json.Nodes;
using Lookout.Values.Yaml;

namespace Lookout.Notifications.Subscriptions;

/// <summary>
/// Subscriptions written on an object (or its AppProject) as notifications-engine reads them:
/// <c>notifications.argoproj.io/subscribe.&lt;trigger&gt;.&lt;service&gt;: "r1;r2"</c>,
/// <c>notifications.argoproj.io/subscribe.&lt;service&gt;</c> (the default triggers), and the YAML list of
/// <c>notifications.argoproj.io/subscriptions</c> (<c>[{trigger: [...], destinations: [{service, recipients}]}]</c>).
/// </summary>
public static class SubscriptionAnnotations
{
    /// <summary>The annotation prefix.</summary>
    public const string Prefix = "notifications.argoproj.io";

    private const string SubscribePrefix = Prefix + "/subscribe.";
    private const string SubscriptionsKey = Prefix + "/subscriptions";

    /// <summary>The destinations the annotations subscribe, by trigger.</summary>
    /// <param name="annotations">The object's annotations.</param>
    /// <param name="defaultTriggers">The ConfigMap's <c>defaultTriggers</c>, for subscriptions that name no trigger.</param>
    /// <param name="serviceDefaultTriggers">The ConfigMap's <c>defaultTriggers.&lt;service&gt;</c>, which win over <paramref name="defaultTriggers"/>.</param>
    /// <param name="problems">Receives a line for an unreadable <c>subscriptions</c> annotation.</param>
    public static Destinations GetDestinations(
        IReadOnlyDictionary<string, string> annotations,
        IReadOnlyList<string> defaultTriggers,
        IReadOnlyDictionary<string, IReadOnlyList<string>> serviceDefaultTriggers,
        ICollection<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(defaultTriggers);
        ArgumentNullException.ThrowIfNull(serviceDefaultTriggers);
        var destinations = new Destinations();
        foreach ((string key, string value) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.StartsWith(SubscribePrefix, StringComparison.Ordinal))
            {
                string[] parts = key[SubscribePrefix.Length..].Split('.');
                (string trigger, string service) = parts.Length >= 2 ? (parts[0], parts[1]) : (string.Empty, parts[0]);
                IReadOnlyList<string> recipients = value.Length == 0 ? [string.Empty] : ParseRecipients(value);
                Add(destinations, trigger, service, recipients, defaultTriggers, serviceDefaultTriggers);
            }
            else if (key.StartsWith(SubscriptionsKey, StringComparison.Ordinal))
            {
                foreach ((string trigger, string service, IReadOnlyList<string> recipients) in ParseSubscriptionList(key, value, problems))
                {
                    Add(destinations, trigger, service, recipients, defaultTriggers, serviceDefaultTriggers);
                }
            }
        }

        return destinations;
    }

    /// <summary>Recipients split on <c>;</c>, trimmed, empty ones dropped.</summary>
    public static IReadOnlyList<string> ParseRecipients(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Add(
        Destinations destinations,
        string trigger,
        string service,
        IReadOnlyList<string> recipients,
        IReadOnlyList<string> defaultTriggers,
        IReadOnlyDictionary<string, IReadOnlyList<string>> serviceDefaultTriggers)
    {
        foreach (string recipient in recipients)
        {
            IReadOnlyList<string> triggers = trigger.Length > 0 ? [trigger]
                : serviceDefaultTriggers.TryGetValue(service, out IReadOnlyList<string>? forService) ? forService
                : defaultTriggers;
            foreach (string t in triggers)
            {
                destinations.Add(t, new Destination(service, recipient));
            }
        }
    }

    private static IEnumerable<(string Trigger, string Service, IReadOnlyList<string> Recipients)> ParseSubscriptionList(string key, string value, ICollection<string>? problems)
    {
        JsonArray? list = null;
        try
        {
            IReadOnlyList<JsonNode> documents = YamlDocuments.Parse(value, $"annotation {key}");
            list = documents.Count == 0 ? [] : documents[0] as JsonArray;
            if (list is null)
            {
                problems?.Add($"annotation {key}: expected a list of subscriptions");
            }
        }
        catch (FormatException ex)
        {
            problems?.Add(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections.
            problems?.Add($"annotation {key}: invalid YAML: {ex.Message}");
        }

        foreach (JsonNode? item in list ?? [])
        {
            if (item is not JsonObject subscription)
            {
                continue;
            }

            List<string> triggers = Strings(Get(subscription, "trigger"));
            var destinations = (Get(subscription, "destinations") as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(d => (Service: Get(d, "service") is JsonValue s && s.TryGetValue(out string? name) ? name : string.Empty, Recipients: Strings(Get(d, "recipients"))))
                .ToList();
            if (triggers.Count == 0)
            {
                // No trigger: the default triggers of each destination's service.
                foreach ((string service, List<string> recipients) in destinations)
                {
                    yield return (string.Empty, service, recipients);
                }

                continue;
            }

            foreach (string trigger in triggers)
            {
                foreach ((string service, List<string> recipients) in destinations)
                {
                    yield return (trigger, service, recipients);
                }
            }
        }
    }

    /// <summary>A field by Go's case-insensitive JSON name matching.</summary>
    private static JsonNode? Get(JsonObject obj, string name) =>
        obj.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(n => n?.ToString() ?? string.Empty).ToList(),
        JsonValue v when v.TryGetValue(out string? s) => [s],
        _ => [],
    };
}
