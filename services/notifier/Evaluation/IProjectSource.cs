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

/// <summary>
/// AppProjects from YAML files (the embedded mode): every <c>kind: AppProject</c> in the <c>*.yaml</c> files of a
/// folder and its sub-folders (or in one file), read again when a file changes.
/// </summary>
public sealed class FileProjects(string path) : IProjectSource
{
    private readonly Lock sync = new();
    private string stamp = string.Empty;
    private Dictionary<string, ObjectMap> projects = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<ObjectMap?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        string[] files = File.Exists(path) ? [path]
            : Directory.Exists(path) ? [.. Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
            : [];
        string now = string.Join('|', files.Select(f => $"{f}:{File.GetLastWriteTimeUtc(f).Ticks}"));
        lock (sync)
        {
            if (now != stamp)
            {
                var read = new Dictionary<string, ObjectMap>(StringComparer.Ordinal);
                foreach (string file in files)
                {
                    foreach (System.Text.Json.Nodes.JsonNode node in Lookout.Values.Yaml.YamlDocuments.Parse(File.ReadAllText(file), file))
                    {
                        if (node is System.Text.Json.Nodes.JsonObject && (string?)node["kind"] == "AppProject" && node["metadata"]?["name"] is { } n
                            && ObjectModel.FromJsonElement(JsonSerializer.SerializeToElement(node)) is ObjectMap project)
                        {
                            read[$"{(string?)node["metadata"]?["namespace"] ?? "argocd"}/{(string?)n}"] = project;
                        }
                    }
                }

                (projects, stamp) = (read, now);
            }

            return Task.FromResult(projects.GetValueOrDefault($"{@namespace}/{name}"));
        }
    }
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
