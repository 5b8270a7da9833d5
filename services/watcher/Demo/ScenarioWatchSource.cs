using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Values.Yaml;
using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Demo;

/// <summary>
/// Replays a folder of Application and Rollout snapshots as if it were a Kubernetes API server (see README.md in
/// this folder): file <c>k</c> becomes visible <c>k × interval</c> after the first list or watch. A list returns the
/// state at that moment; a watch returns every later event as it becomes due, then stays open.
/// </summary>
public sealed class ScenarioWatchSource : IWatchSource
{
    /// <summary>The annotation that turns a snapshot into a DELETED event.</summary>
    public const string DeletedAnnotation = "lookout.demo/deleted";

    private readonly IReadOnlyList<ScenarioEvent> events;
    private readonly TimeSpan interval;
    private readonly TimeProvider timeProvider;
    private long startTicks;

    /// <summary>Loads the scenario; the replay clock starts with the first list or watch.</summary>
    /// <exception cref="FormatException">A file is not valid YAML or JSON; the message names it.</exception>
    public ScenarioWatchSource(string folder, TimeSpan interval, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        events = Load(folder);
        this.interval = interval;
        this.timeProvider = timeProvider;
    }

    /// <summary>Every event of the scenario, in replay order.</summary>
    public IReadOnlyList<ScenarioEvent> Events => events;

    /// <summary>Reads a scenario folder into events: files in ordinal name order, objects in file order.</summary>
    public static IReadOnlyList<ScenarioEvent> Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"demo scenario folder '{folder}' does not exist");
        }

        string[] files = [.. Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)];
        var result = new List<ScenarioEvent>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        long resourceVersion = 0;
        for (int step = 0; step < files.Length; step++)
        {
            string name = Path.GetFileName(files[step]);
            foreach (JsonNode node in YamlDocuments.Parse(File.ReadAllText(files[step]), name))
            {
                if (node is not JsonObject obj || WatchedKind.FromKind((string?)obj["kind"]) is not WatchedKind kind)
                {
                    continue;
                }

                JsonObject metadata = obj["metadata"] as JsonObject ?? throw new FormatException($"{name}: an object without metadata");
                string ns = (string?)metadata["namespace"] ?? "default";
                string objectName = (string?)metadata["name"] ?? throw new FormatException($"{name}: an object without metadata.name");
                string key = $"{kind.Kind}/{ns}/{objectName}";
                metadata["namespace"] = ns;
                metadata["uid"] ??= StableUid(key);
                metadata["resourceVersion"] = (++resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
                bool deleted = metadata["annotations"] is JsonObject annotations && (string?)annotations[DeletedAnnotation] == "true";
                WatchEventType type = deleted ? WatchEventType.Deleted : live.Add(key) ? WatchEventType.Added : WatchEventType.Modified;
                if (deleted)
                {
                    live.Remove(key);
                }

                result.Add(new ScenarioEvent(step, resourceVersion, kind, ns, type, JsonSerializer.SerializeToElement(obj)));
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public Task<ObjectList> ListAsync(WatchScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        int due = DueStep();
        var state = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        long resourceVersion = 0;
        foreach (ScenarioEvent e in events.TakeWhile(e => e.Step <= due))
        {
            resourceVersion = e.ResourceVersion;
            if (!Matches(scope, e))
            {
                continue;
            }

            string uid = e.Object.GetProperty("metadata").GetProperty("uid").GetString()!;
            if (e.Type == WatchEventType.Deleted)
            {
                state.Remove(uid);
            }
            else
            {
                state[uid] = e.Object;
            }
        }

        return Task.FromResult(new ObjectList(resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), [.. state.Values]));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(WatchScope scope, string resourceVersion, Action opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(opened);
        opened();
        long from = long.TryParse(resourceVersion, out long rv) ? rv : 0;
        foreach (ScenarioEvent e in events.Where(e => e.ResourceVersion > from))
        {
            TimeSpan wait = Start() + (interval * e.Step) - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (Matches(scope, e))
            {
                yield return new WatchEvent(e.Type, e.Object);
            }
        }

        // The scenario is over: keep the watch open, as a quiet cluster would.
        await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private int DueStep() => interval <= TimeSpan.Zero ? int.MaxValue : (int)Math.Min(int.MaxValue, (timeProvider.GetUtcNow() - Start()) / interval);

    private DateTimeOffset Start()
    {
        long now = timeProvider.GetUtcNow().UtcTicks;
        long started = Interlocked.CompareExchange(ref startTicks, now, 0);
        return new DateTimeOffset(started == 0 ? now : started, TimeSpan.Zero);
    }

    private static bool Matches(WatchScope scope, ScenarioEvent e)
    {
        if (e.Kind != scope.Kind || (scope.Namespace is not null && scope.Namespace != e.Namespace))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(scope.LabelSelector))
        {
            return true;
        }

        // Equality requirements only (team=payments,env=prod), which is what a demo needs.
        JsonElement labels = e.Object.GetProperty("metadata").TryGetProperty("labels", out JsonElement l) ? l : default;
        foreach (string requirement in scope.LabelSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = requirement.Split('=', 2, StringSplitOptions.TrimEntries);
            string? value = labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(parts[0], out JsonElement v) ? v.GetString() : null;
            if (parts.Length == 2 ? value != parts[1].TrimStart('=') : value is null)
            {
                return false;
            }
        }

        return true;
    }

    private static string StableUid(string key)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}

/// <summary>One replayed event: the file (step) it came from, its resourceVersion, and the object.</summary>
public sealed record ScenarioEvent(int Step, long ResourceVersion, WatchedKind Kind, string Namespace, WatchEventType Type, JsonElement Object);
