namespace Lookout.Notifications.Subscriptions;

/// <summary>
/// The subscriptions of the old argocd-notifications project, which Argo CD still reads on an Application's
/// AppProject: <c>[&lt;trigger&gt;.]recipients.argocd-notifications.argoproj.io: "slack:channel, email:addr"</c>. No
/// trigger means the default triggers; a service with its own <c>defaultTriggers.&lt;service&gt;</c> takes those
/// instead, even when the key names a trigger (as Argo CD's <c>GetLegacyDestinations</c> does).
/// </summary>
public static class LegacyRecipients
{
    /// <summary>The annotation key's suffix.</summary>
    public const string AnnotationKey = "recipients.argocd-notifications.argoproj.io";

    /// <summary>The destinations the legacy annotations subscribe, by trigger.</summary>
    public static Destinations GetDestinations(
        IReadOnlyDictionary<string, string> annotations,
        IReadOnlyList<string> defaultTriggers,
        IReadOnlyDictionary<string, IReadOnlyList<string>> serviceDefaultTriggers)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(defaultTriggers);
        ArgumentNullException.ThrowIfNull(serviceDefaultTriggers);
        var destinations = new Destinations();
        foreach ((string key, string value) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!key.EndsWith(AnnotationKey, StringComparison.Ordinal))
            {
                continue;
            }

            string trigger = key[..^AnnotationKey.Length].TrimEnd('.');
            IReadOnlyList<string> triggers = trigger.Length == 0 ? defaultTriggers : [trigger];
            foreach (string item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = item.Split(':');
                var destination = new Destination(parts[0], parts.Length > 1 ? parts[1] : string.Empty);
                foreach (string t in serviceDefaultTriggers.TryGetValue(destination.Service, out IReadOnlyList<string>? forService) ? forService : triggers)
                {
                    destinations.Add(t, destination);
                }
            }
        }

        return destinations;
    }
}
