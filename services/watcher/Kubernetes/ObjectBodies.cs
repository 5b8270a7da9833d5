using System.Collections.Concurrent;
using System.Text.Json;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// The last watched body of each Rollout, by namespace and name, shared by the Rollout watchers (which fill it) and
/// the Event watchers (which put the Rollout, as it was when its Event arrived, into the message). The bodies are the
/// ones the watchers already hold, so this costs one reference per Rollout.
/// </summary>
public sealed class ObjectBodies
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), ObservedObject> bodies = new();

    /// <summary>Records the newest observed version.</summary>
    public void Set(ObservedObject observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        bodies[(observed.Namespace, observed.Name)] = observed;
    }

    /// <summary>Forgets a deleted object (only the version with this uid, not a re-created one).</summary>
    public void Remove(string @namespace, string name, string uid)
    {
        if (bodies.TryGetValue((@namespace, name), out ObservedObject? current) && current.Uid == uid)
        {
            bodies.TryRemove(new KeyValuePair<(string, string), ObservedObject>((@namespace, name), current));
        }
    }

    /// <summary>The last observed version, or null.</summary>
    public ObservedObject? Get(string @namespace, string name) => bodies.GetValueOrDefault((@namespace, name));

    /// <summary>Objects held.</summary>
    public int Count => bodies.Count;

    /// <summary>The body of an observed object.</summary>
    public static JsonElement? BodyOf(ObservedObject? observed) =>
        observed is null || observed.Body.ValueKind == JsonValueKind.Undefined ? null : observed.Body;
}
