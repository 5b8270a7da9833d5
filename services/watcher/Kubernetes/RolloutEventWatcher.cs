using System.Text.Json;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Watcher.Publishing;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Lists then watches the core/v1 Events of one kind of Argo Rollouts object (a field selector on
/// <c>involvedObject.kind</c>) and publishes each occurrence once as a <see cref="RolloutEventRecorded"/>: an Event
/// seen for the first time, or again with a higher <c>count</c> (the recorder's way of saying it happened again).
/// Argo Rollouts notifies at the moment its controller records an Event; an Event that was already there when the
/// watcher started is published only when it occurred within <see cref="WatcherOptions.EventMaxAge"/> (a restart or a
/// leader handover), so a new watcher does not replay the last hour. Each occurrence's message id is derived from
/// (event uid, count), so one published twice across a handover is recognised downstream.
/// </summary>
public sealed partial class RolloutEventWatcher
{
    private readonly WatchScope scope;
    private readonly IWatchSource source;
    private readonly IObjectReader reader;
    private readonly IEventPublisher publisher;
    private readonly ObjectBodies rollouts;
    private readonly string cluster;
    private readonly WatcherOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly WatcherMetrics metrics;
    private readonly Task rolloutsListed;
    private readonly Backoff backoff;

    // The count last published (or passed over at start) per Event uid; pruned by deletions and re-lists.
    private readonly Dictionary<string, int> published = new(StringComparer.Ordinal);
    private string? resourceVersion;
    private int failures;

    /// <summary>Creates a watcher of one Events scope.</summary>
    /// <param name="scope">The Events to list and watch (a namespace or all, and the field selector).</param>
    /// <param name="source">The API.</param>
    /// <param name="reader">Reads AnalysisRuns (for their owner) and Rollouts the watch has not shown yet.</param>
    /// <param name="publisher">Where messages go.</param>
    /// <param name="rollouts">The Rollouts as last watched.</param>
    /// <param name="cluster">The cluster name stamped on messages.</param>
    /// <param name="options">Backoff and <see cref="WatcherOptions.EventMaxAge"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where failures go.</param>
    /// <param name="metrics">Counts.</param>
    /// <param name="rolloutsListed">Completes when the Rollouts have been listed once (so their bodies are known).</param>
    public RolloutEventWatcher(
        WatchScope scope,
        IWatchSource source,
        IObjectReader reader,
        IEventPublisher publisher,
        ObjectBodies rollouts,
        string cluster,
        WatcherOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        WatcherMetrics? metrics = null,
        Task? rolloutsListed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.scope = scope;
        this.source = source;
        this.reader = reader;
        this.publisher = publisher;
        this.rollouts = rollouts;
        this.cluster = cluster;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics ?? WatcherMetrics.Unregistered();
        this.rolloutsListed = rolloutsListed ?? Task.CompletedTask;
        backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
    }

    /// <summary>The Events scopes for the options: one per involved kind and namespace.</summary>
    public static IReadOnlyList<WatchScope> Scopes(WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.WatchRollouts || !options.WatchRolloutEvents)
        {
            return [];
        }

        IEnumerable<string?> namespaces = options.Namespaces.Count == 0 ? new string?[] { null } : options.Namespaces.Distinct(StringComparer.Ordinal).Select(n => (string?)n);
        return [.. from kind in RecordedEvent.InvolvedKinds from ns in namespaces select new WatchScope(WatchedKind.Event, ns, null, "involvedObject.kind=" + kind)];
    }

    /// <summary>The scope watched.</summary>
    public WatchScope Scope => scope;

    /// <summary>Runs until cancelled: list, watch, resume, re-list on 410.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool initial = true;
        try
        {
            await rolloutsListed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    await ListAsync(initial, cancellationToken).ConfigureAwait(false);
                    initial = false;
                }

                await foreach (WatchEvent e in source.WatchAsync(scope, resourceVersion!, () => failures = 0, cancellationToken).ConfigureAwait(false))
                {
                    await HandleAsync(e, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ResourceExpiredException ex)
            {
                metrics.Relists.WithLabels("Event").Inc();
                LogExpired(logger, scope, ex.Message);
                resourceVersion = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of the API is retried with backoff; the watch must not die.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                metrics.WatchFailures.WithLabels("Event").Inc();
                failures++;
                TimeSpan delay = backoff.Delay(failures);
                LogWatchFailed(logger, ex, scope, delay);
                try
                {
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(bool initial, CancellationToken cancellationToken)
    {
        ObjectList list = await source.ListAsync(scope, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset oldest = timeProvider.GetUtcNow() - options.EventMaxAge;
        int count = 0;
        foreach (JsonElement item in list.Items)
        {
            if (!Decode(item, out RecordedEvent? recorded))
            {
                continue;
            }

            seen.Add(recorded.Uid);

            // At start, what happened before this watcher's time is history, except within EventMaxAge (the gap of a
            // restart or a handover); after a 410 re-list, every occurrence not published yet.
            if (initial && !published.ContainsKey(recorded.Uid) && (recorded.LastTimestamp is not { } last || last < oldest))
            {
                published[recorded.Uid] = recorded.Count;
                continue;
            }

            count += await PublishIfNewAsync(recorded, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        foreach (string gone in published.Keys.Where(uid => !seen.Contains(uid)).ToList())
        {
            published.Remove(gone);
        }

        metrics.ObjectsTracked.WithLabels("Event").Set(published.Count);
        resourceVersion = list.ResourceVersion;
        LogListed(logger, scope, list.Items.Count, count, list.ResourceVersion);
    }

    private async Task HandleAsync(WatchEvent e, CancellationToken cancellationToken)
    {
        metrics.WatchEvents.WithLabels("Event", e.Type.ToString()).Inc();
        if (e.Type == WatchEventType.Bookmark || !Decode(e.Object, out RecordedEvent? recorded))
        {
            resourceVersion = ObjectDecoder.ReadResourceVersion(e.Object) ?? resourceVersion;
            return;
        }

        if (e.Type == WatchEventType.Deleted)
        {
            published.Remove(recorded.Uid);
        }
        else
        {
            await PublishIfNewAsync(recorded, cancellationToken).ConfigureAwait(false);
        }

        metrics.ObjectsTracked.WithLabels("Event").Set(published.Count);
        resourceVersion = recorded.ResourceVersion;
    }

    private async Task<bool> PublishIfNewAsync(RecordedEvent recorded, CancellationToken cancellationToken)
    {
        if (published.TryGetValue(recorded.Uid, out int last) && recorded.Count <= last)
        {
            // The same occurrence again (a re-list, or an update that did not count a new one).
            metrics.NoiseSkipped.WithLabels("Event").Inc();
            return false;
        }

        (ObjectIdentity rollout, JsonElement? body) = await ResolveAsync(recorded.Involved, cancellationToken).ConfigureAwait(false);
        JsonElement? analysisRuns = recorded.Involved.Kind == "Rollout" && body is { } b ? await AnalysisRunsAsync(b, cancellationToken).ConfigureAwait(false) : null;
        var message = new RolloutEventRecorded
        {
            Rollout = rollout,
            InvolvedObject = recorded.Involved,
            EventUid = recorded.Uid,
            EventName = recorded.Name,
            EventResourceVersion = recorded.ResourceVersion,
            Reason = recorded.Reason,
            Message = recorded.Message,
            Type = recorded.Type,
            Count = recorded.Count,
            FirstTimestamp = recorded.FirstTimestamp,
            LastTimestamp = recorded.LastTimestamp,
            Component = recorded.Component,
            ObservedAt = timeProvider.GetUtcNow(),
            ObjectBody = body,
            AnalysisRuns = analysisRuns,
        };
        await publisher.EnqueueAsync(
            new OutgoingEvent(
                IdOf(recorded.Uid, recorded.Count),
                message,
                EventFactory.ObjectKey(WatchedKind.Rollout, rollout.Uid),
                recorded.ToString()),
            cancellationToken).ConfigureAwait(false);
        published[recorded.Uid] = recorded.Count;
        return true;
    }

    /// <summary>The message id of one occurrence: ("Event", uid, count).</summary>
    public static Guid IdOf(string eventUid, int count) =>
        MessageIds.ForObjectVersion("Event", eventUid, count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // The Rollout a message is ordered by, and the involved object's body: a Rollout as last watched (read when the
    // watch has not shown it yet); an AnalysisRun as read now, ordered by its owning Rollout.
    private async Task<(ObjectIdentity Rollout, JsonElement? Body)> ResolveAsync(EventInvolvedObject involved, CancellationToken cancellationToken)
    {
        if (involved.Kind == "Rollout")
        {
            JsonElement? body = ObjectBodies.BodyOf(rollouts.Get(involved.Namespace, involved.Name))
                ?? await reader.GetAsync(WatchedKind.Rollout, involved.Namespace, involved.Name, cancellationToken).ConfigureAwait(false);
            string uid = involved.Uid is { Length: > 0 } u ? u : UidOf(body) ?? $"{involved.Namespace}/{involved.Name}";
            return (new ObjectIdentity(cluster, involved.Namespace, involved.Name, uid), body);
        }

        JsonElement? run = await reader.GetAsync(WatchedKind.AnalysisRun, involved.Namespace, involved.Name, cancellationToken).ConfigureAwait(false);
        if (run is { } r && r.TryGetProperty("metadata", out JsonElement metadata) && metadata.TryGetProperty("ownerReferences", out JsonElement owners)
            && owners.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement owner in owners.EnumerateArray())
            {
                if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty("kind", out JsonElement k) && k.ValueKind == JsonValueKind.String && k.GetString() == "Rollout"
                    && owner.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String
                    && owner.TryGetProperty("uid", out JsonElement ou) && ou.ValueKind == JsonValueKind.String)
                {
                    return (new ObjectIdentity(cluster, involved.Namespace, n.GetString()!, ou.GetString()!), run);
                }
            }
        }

        string runUid = involved.Uid is { Length: > 0 } ru ? ru : UidOf(run) ?? $"{involved.Namespace}/{involved.Name}";
        return (new ObjectIdentity(cluster, involved.Namespace, involved.Name, runUid), run);
    }

    // Argo Rollouts' analysisRuns: the runs labelled with the Rollout's current pod template hash whose revision
    // annotation is the Rollout's, newest first; null when there are none.
    private async Task<JsonElement?> AnalysisRunsAsync(JsonElement rollout, CancellationToken cancellationToken)
    {
        string? hash = Path(rollout, "status", "currentPodHash");
        string? ns = Path(rollout, "metadata", "namespace");
        if (ns is null)
        {
            return null;
        }

        string? revision = Path(rollout, "metadata", "annotations", "rollout.argoproj.io/revision");
        IReadOnlyList<JsonElement> runs = await reader.ListAsync(WatchedKind.AnalysisRun, ns, "rollouts-pod-template-hash=" + hash, cancellationToken).ConfigureAwait(false);
        JsonElement[] matching = [.. runs
            .Where(r => Path(r, "metadata", "annotations", "rollout.argoproj.io/revision") == revision)
            .OrderByDescending(r => Path(r, "metadata", "creationTimestamp") is { } t && DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset created) ? created : DateTimeOffset.MinValue)];
        return matching.Length == 0 ? null : JsonSerializer.SerializeToElement(matching);
    }

    private static string? Path(JsonElement element, params string[] path)
    {
        foreach (string segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static string? UidOf(JsonElement? body) =>
        body is { } b && b.TryGetProperty("metadata", out JsonElement m) && m.TryGetProperty("uid", out JsonElement uid) && uid.ValueKind == JsonValueKind.String
            ? uid.GetString()
            : null;

    private bool Decode(JsonElement json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RecordedEvent? recorded)
    {
        if (RecordedEvent.TryDecode(json, out recorded, out string? problem) && recorded is not null)
        {
            // The field selector already narrows the kind; a server that ignores it must not widen what is published.
            if (RecordedEvent.InvolvedKinds.Contains(recorded.Involved.Kind))
            {
                return true;
            }

            recorded = null;
            return false;
        }

        metrics.DecodeFailures.WithLabels("Event").Inc();
        LogDecodeFailed(logger, ObjectDecoder.Describe("Event", json), problem ?? "undecodable");
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Object}: cannot decode it ({Reason})")]
    private static partial void LogDecodeFailed(ILogger logger, string @object, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Scope}: {Count} events, {Published} published, resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, WatchScope scope, int count, int published, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Scope} expired ({Reason}); re-listing")]
    private static partial void LogExpired(ILogger logger, WatchScope scope, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List or watch of {Scope} failed; retrying in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, WatchScope scope, TimeSpan delay);
}
