using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Lookout.Values;

namespace Lookout.Notifier.Evaluation;

/// <summary>Finds an Application's AppProject, whose annotations subscribe too.</summary>
public interface IProjectSource
{
    /// <summary>The AppProject, or null.</summary>
    Task<ObjectMap?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);
}

/// <summary>No projects (embedded mode).</summary>
public sealed class NoProjects : IProjectSource
{
    /// <inheritdoc/>
    public Task<ObjectMap?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) => Task.FromResult<ObjectMap?>(null);
}

/// <summary>AppProjects read through the Kubernetes API, cached for a few seconds.</summary>
public sealed class KubernetesProjects(IKubernetes client, TimeProvider clock) : IProjectSource
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, ObjectMap? Project)> cache = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async Task<ObjectMap?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        string key = $"{@namespace}/{name}";
        DateTimeOffset now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && now - hit.At < CacheFor)
        {
            return hit.Project;
        }

        ObjectMap? project = null;
        try
        {
            object obj = await client.CustomObjects.GetNamespacedCustomObjectAsync("argoproj.io", "v1alpha1", @namespace, "appprojects", name, cancellationToken).ConfigureAwait(false);
            project = ObjectModel.FromJsonElement(JsonSerializer.SerializeToElement(obj)) as ObjectMap;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
        }

        cache[key] = (now, project);
        return project;
    }
}
