using System.Text.Json;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Where list and watch events come from: the Kubernetes API (<see cref="KubernetesWatchSource"/>) or a replayed
/// demo scenario. The watch loop, change detection and publishing are the same for both.
/// </summary>
public interface IWatchSource
{
    /// <summary>Lists the objects of a scope and the resourceVersion to watch from.</summary>
    /// <exception cref="ResourceExpiredException">Never for a list without resourceVersion; reserved for sources that page.</exception>
    Task<ObjectList> ListAsync(WatchScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Watches a scope from a resourceVersion, calling <paramref name="opened"/> once the server accepted the watch
    /// (before any event). The sequence ends when the server closes the stream (the caller resumes); throws
    /// <see cref="ResourceExpiredException"/> when the version is too old (410 Gone).
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(WatchScope scope, string resourceVersion, Action opened, CancellationToken cancellationToken);
}

/// <summary>Reads one object by name: the AnalysisRun an Event is about, or a Rollout the watch has not shown yet.</summary>
public interface IObjectReader
{
    /// <summary>The object, or null when it does not exist.</summary>
    Task<JsonElement?> GetAsync(WatchedKind kind, string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The objects of a kind in a namespace that match a label selector.</summary>
    Task<IReadOnlyList<JsonElement>> ListAsync(WatchedKind kind, string @namespace, string labelSelector, CancellationToken cancellationToken);
}

/// <summary>The result of a list.</summary>
public sealed record ObjectList(string ResourceVersion, IReadOnlyList<JsonElement> Items);

/// <summary>The type of a watch event.</summary>
public enum WatchEventType
{
    /// <summary>An object appeared.</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object was deleted.</summary>
    Deleted,

    /// <summary>Progress marker: only <c>metadata.resourceVersion</c> is meaningful.</summary>
    Bookmark,
}

/// <summary>One watch event with the object as the server sent it.</summary>
public sealed record WatchEvent(WatchEventType Type, JsonElement Object);

/// <summary>The resourceVersion the watcher asked for is no longer in the server's history (HTTP 410 Gone).</summary>
public sealed class ResourceExpiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResourceExpiredException()
        : base("resourceVersion expired (410 Gone)")
    {
    }

    /// <summary>Creates the exception with the server's message.</summary>
    public ResourceExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the server's message and cause.</summary>
    public ResourceExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
