using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Lookout.Watcher.State;

/// <summary>One object as last published: enough to tell consumers it is gone.</summary>
/// <param name="Kind">The object's kind (<c>Application</c>, <c>Rollout</c>).</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="ResourceVersion">The resourceVersion of the last event published for it.</param>
public sealed record PublishedObject(
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("ns")] string Namespace,
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("u")] string Uid,
    [property: JsonPropertyName("rv")] string ResourceVersion);

/// <summary>
/// What the leader has published, object by object: the watchers update it as they publish, and it is saved to a
/// <see cref="IPublishedStateStore"/> now and then, so that the next leader (or this one after a restart) can publish
/// <c>ObjectDeleted</c> for every object that disappeared while nobody watched.
/// </summary>
public sealed class PublishedState
{
    private readonly ConcurrentDictionary<string, PublishedObject> objects = new(StringComparer.Ordinal);
    private long version;

    /// <summary>Changes so far; a saver compares it with the version it saved last.</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>The objects, in no particular order.</summary>
    public IReadOnlyList<PublishedObject> Snapshot() => [.. objects.Values];

    /// <summary>The objects of <paramref name="kind"/> in <paramref name="ns"/> (every namespace when null).</summary>
    public IReadOnlyList<PublishedObject> Of(string kind, string? ns) =>
        [.. objects.Values.Where(o => o.Kind == kind && (ns is null || o.Namespace == ns))];

    /// <summary>Replaces the whole state (at the start of a term, from the store).</summary>
    public void Load(IEnumerable<PublishedObject> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        objects.Clear();
        foreach (PublishedObject o in loaded)
        {
            objects[o.Uid] = o;
        }

        Interlocked.Increment(ref version);
    }

    /// <summary>Records that an event of the object was published.</summary>
    public void Published(PublishedObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        objects[o.Uid] = o;
        Interlocked.Increment(ref version);
    }

    /// <summary>Records that the object's deletion was published.</summary>
    public void Deleted(string uid)
    {
        if (objects.TryRemove(uid, out _))
        {
            Interlocked.Increment(ref version);
        }
    }
}
