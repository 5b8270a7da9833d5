namespace Lookout.Notifications.Subscriptions;

/// <summary>Destinations by trigger, merged from every subscription source and de-duplicated in first-seen order.</summary>
public sealed class Destinations
{
    private readonly Dictionary<string, List<Destination>> byTrigger = new(StringComparer.Ordinal);

    /// <summary>The triggers with at least one destination, and their destinations.</summary>
    public IReadOnlyDictionary<string, List<Destination>> ByTrigger => byTrigger;

    /// <summary>Whether there is no destination.</summary>
    public bool IsEmpty => byTrigger.Count == 0;

    /// <summary>Adds a destination for a trigger (ignored when already there).</summary>
    public void Add(string trigger, Destination destination)
    {
        if (!byTrigger.TryGetValue(trigger, out List<Destination>? list))
        {
            list = [];
            byTrigger[trigger] = list;
        }

        if (!list.Contains(destination))
        {
            list.Add(destination);
        }
    }

    /// <summary>Adds every destination of another set.</summary>
    public void Merge(Destinations other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach ((string trigger, List<Destination> list) in other.byTrigger)
        {
            foreach (Destination d in list)
            {
                Add(trigger, d);
            }
        }
    }
}
