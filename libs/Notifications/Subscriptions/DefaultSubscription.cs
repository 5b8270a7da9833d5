namespace Lookout.Notifications.Subscriptions;

/// <summary>
/// One entry of the ConfigMap's <c>subscriptions</c>: recipients (<c>service:recipient</c>) for some triggers (all
/// default triggers when none is named), for objects whose labels match the selector.
/// </summary>
public sealed record DefaultSubscription(IReadOnlyList<string> Recipients, IReadOnlyList<string> Triggers, LabelSelector Selector)
{
    /// <summary>The destinations of the ConfigMap's subscriptions for an object with these labels, as upstream's <c>GetGlobalDestinations</c>.</summary>
    public static Destinations ForLabels(IEnumerable<DefaultSubscription> subscriptions, IReadOnlyList<string> defaultTriggers, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(defaultTriggers);
        var destinations = new Destinations();
        foreach (DefaultSubscription s in subscriptions)
        {
            if (!s.Selector.Matches(labels))
            {
                continue;
            }

            foreach (string trigger in s.Triggers.Count == 0 ? defaultTriggers : s.Triggers)
            {
                foreach (string recipient in s.Recipients)
                {
                    string[] parts = recipient.Split(':');
                    destinations.Add(trigger, new Destination(parts[0], parts.Length > 1 ? parts[1] : string.Empty));
                }
            }
        }

        return destinations;
    }
}
