using System.Text.Json;
using Lookout.Notifications.Triggers;

namespace Lookout.Notifications.State;

/// <summary>
/// Which (trigger, condition, destination) an object was already notified about, as notifications-engine keeps it
/// in the <c>notified.notifications.argoproj.io</c> annotation: a JSON map from state key to the Unix time of the
/// notification, at most 100 entries (the oldest are dropped first).
/// </summary>
public sealed class NotifiedState
{
    /// <summary>The annotation holding the state.</summary>
    public const string AnnotationKey = "notified.notifications.argoproj.io";

    /// <summary>How many entries the annotation keeps.</summary>
    public const int MaxEntries = 100;

    private readonly Dictionary<string, long> entries;

    private NotifiedState(Dictionary<string, long> entries) => this.entries = entries;

    /// <summary>The entries (state key → Unix seconds).</summary>
    public IReadOnlyDictionary<string, long> Entries => entries;

    /// <summary>An empty state.</summary>
    public static NotifiedState Empty() => new(new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>Reads the annotation's value; an empty or unreadable value is an empty state, as upstream.</summary>
    public static NotifiedState Parse(string? annotation)
    {
        if (string.IsNullOrEmpty(annotation))
        {
            return Empty();
        }

        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, long>>(annotation);
            return map is null ? Empty() : new NotifiedState(new Dictionary<string, long>(map, StringComparer.Ordinal));
        }
        catch (JsonException)
        {
            return Empty();
        }
    }

    /// <summary>
    /// The state key: <c>[oncePer:][namespace:]trigger:conditionKey:service:recipient</c>; the namespace is there only
    /// for a self-service configuration (one in the object's own namespace).
    /// </summary>
    public static string Key(string trigger, ConditionResult result, Destination destination, string? selfServiceNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(destination);
        string key = selfServiceNamespace is null
            ? $"{trigger}:{result.Key}:{destination.Service}:{destination.Recipient}"
            : $"{selfServiceNamespace}:{trigger}:{result.Key}:{destination.Service}:{destination.Recipient}";
        return result.OncePer.Length > 0 ? result.OncePer + ":" + key : key;
    }

    /// <summary>Whether the key is recorded.</summary>
    public bool Contains(string key) => entries.ContainsKey(key);

    /// <summary>
    /// Records (<paramref name="notified"/> true) or re-arms (false) a key; returns whether the state changed. A key
    /// carrying a oncePer value is never re-armed: once per value means once.
    /// </summary>
    public bool SetAlreadyNotified(string trigger, ConditionResult result, Destination destination, bool notified, DateTimeOffset now, string? selfServiceNamespace = null)
    {
        string key = Key(trigger, result, destination, selfServiceNamespace);
        if (entries.ContainsKey(key) == notified)
        {
            return false;
        }

        if (notified)
        {
            entries[key] = now.ToUnixTimeSeconds();
            return true;
        }

        if (result.OncePer.Length > 0)
        {
            return false;
        }

        entries.Remove(key);
        return true;
    }

    /// <summary>Sets an entry (merging a state written by someone else).</summary>
    public void Set(string key, long unixSeconds) => entries[key] = unixSeconds;

    /// <summary>Removes a key whatever its oncePer value: the notification was not sent after all.</summary>
    public bool Forget(string trigger, ConditionResult result, Destination destination, string? selfServiceNamespace = null) =>
        entries.Remove(Key(trigger, result, destination, selfServiceNamespace));

    /// <summary>Drops the oldest entries beyond <see cref="MaxEntries"/>.</summary>
    public void Truncate(int maxEntries = MaxEntries)
    {
        int excess = entries.Count - maxEntries;
        if (excess <= 0)
        {
            return;
        }

        foreach (string key in entries.OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(excess).Select(e => e.Key).ToList())
        {
            entries.Remove(key);
        }
    }

    /// <summary>The annotation's value after truncation (keys sorted, as Go's encoder writes a map), or null when empty (the annotation is removed).</summary>
    public string? Serialize()
    {
        Truncate();
        if (entries.Count == 0)
        {
            return null;
        }

        var sorted = new SortedDictionary<string, long>(entries, StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted);
    }

    /// <summary>A copy.</summary>
    public NotifiedState Clone() => new(new Dictionary<string, long>(entries, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override string ToString() => Serialize() ?? "{}";
}
