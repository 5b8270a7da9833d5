using Lookout.Hosting;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.State;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Lists then watches one <see cref="WatchScope"/> and publishes one event per real change. Keeps, per uid, the
/// last published state, so a resumed watch or a re-list after 410 Gone publishes only what changed. Objects known
/// from a <see cref="PublishedState"/> saved by an earlier leader and absent from the first list are published as
/// deleted: they disappeared while nobody watched.
/// </summary>
public sealed partial class ResourceWatcher
{
    private readonly WatchScope scope;
    private readonly IWatchSource source;
    private readonly IEventPublisher publisher;
    private readonly EventFactory events;
    private readonly WatcherOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly WatcherMetrics metrics;
    private readonly PublishedState? state;
    private readonly Backoff backoff;
    private readonly ObjectBodies? bodies;
    private readonly TaskCompletionSource listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Resync.ResyncSignal resync = new();
    private readonly Dictionary<string, ObservedObject> tracked = new(StringComparer.Ordinal);
    private string? resourceVersion;
    private volatile bool watching;
    private volatile bool everWatched;
    private volatile int failures;
    private volatile string? lastError;

    /// <summary>Creates a watcher for one scope.</summary>
    /// <param name="scope">What to list and watch.</param>
    /// <param name="source">The API (or the demo scenario).</param>
    /// <param name="publisher">Where events go.</param>
    /// <param name="events">Builds the messages.</param>
    /// <param name="options">Backoff settings.</param>
    /// <param name="timeProvider">The clock for backoff.</param>
    /// <param name="logger">Where failures and skipped objects are logged.</param>
    /// <param name="metrics">Where counts go; null for metrics of their own.</param>
    /// <param name="state">What earlier leaders published (seeds deletion detection) and is updated on each publish; null for none.</param>
    /// <param name="bodies">Where the newest body of each object is kept for the Event watchers; null for none.</param>
    public ResourceWatcher(
        WatchScope scope,
        IWatchSource source,
        IEventPublisher publisher,
        EventFactory events,
        WatcherOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        WatcherMetrics? metrics = null,
        PublishedState? state = null,
        ObjectBodies? bodies = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(options);
        this.scope = scope;
        this.source = source;
        this.publisher = publisher;
        this.events = events;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics ?? WatcherMetrics.Unregistered();
        this.state = state;
        this.bodies = bodies;
        backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        if (state is not null)
        {
            foreach (PublishedObject known in state.Of(scope.Kind.Kind, scope.Namespace))
            {
                tracked[known.Uid] = new ObservedObject(known.Uid, known.Namespace, known.Name, known.ResourceVersion, 0, default, string.Empty);
            }
        }
    }

    /// <summary>The scope watched.</summary>
    public WatchScope Scope => scope;

    /// <summary>Completes once the scope has been listed (and its objects published).</summary>
    public Task Listed => listed.Task;

    /// <summary>The resourceVersion the next watch resumes from (null before the first list).</summary>
    public string? ResourceVersion => resourceVersion;

    /// <summary>True from a successful list, or a watch that delivered an event, until the next failure.</summary>
    public bool IsWatching => watching;

    /// <summary>True once any watch of this scope has opened.</summary>
    public bool HasWatched => everWatched;

    /// <summary>List or watch failures since the last success.</summary>
    public int ConsecutiveFailures => failures;

    /// <summary>The last failure's message, for readiness.</summary>
    public string? LastError => lastError;

    /// <summary>Re-lists and restates every object as the start-up listing does; completes once they are handed to the publisher.</summary>
    public Task ResyncAsync() => resync.Request();

    /// <summary>Runs until cancelled: list, publish the current state, watch, resume, re-list on 410 or on <see cref="ResyncAsync"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool initial = true;
        string kind = scope.Kind.Kind;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (resync.TryTake())
            {
                (resourceVersion, initial) = (null, true);
            }

            using CancellationTokenSource watch = resync.WatchCancellation(cancellationToken);
            try
            {
                if (resourceVersion is null)
                {
                    await ListAsync(initial, cancellationToken).ConfigureAwait(false);
                    initial = false;
                    listed.TrySetResult();
                    resync.Listed();

                    // The API answered the list: the watch from its version follows at once. (KubernetesClient
                    // hands over a watch response only with its first line, so a quiet watch reports no opening.)
                    Opened();
                }

                await foreach (WatchEvent e in source.WatchAsync(scope, resourceVersion!, Opened, watch.Token).ConfigureAwait(false))
                {
                    await HandleAsync(e, cancellationToken).ConfigureAwait(false);
                }

                // The server ended the watch (timeout or dropped connection): resume from the last version seen.
                LogWatchEnded(logger, scope, resourceVersion);
            }
            catch (ResourceExpiredException ex)
            {
                metrics.Relists.WithLabels(kind).Inc();
                LogExpired(logger, scope, resourceVersion, ex.Message);
                resourceVersion = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                resync.Abandon();
                return;
            }
#pragma warning disable CA1031 // However the interrupted watch ends (cancelled, aborted connection), nothing failed.
            catch (Exception) when (resync.Interrupted(watch, cancellationToken))
#pragma warning restore CA1031
            {
                // A resync was asked for: the next turn re-lists.
            }
#pragma warning disable CA1031 // Any failure of the API is retried with backoff; the watch must not die.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                metrics.WatchFailures.WithLabels(kind).Inc();
                watching = false;
                lastError = ex.Message;
                failures++;
                TimeSpan delay = backoff.Delay(failures);
                LogWatchFailed(logger, ex, scope, delay);
                try
                {
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    resync.Abandon();
                    return;
                }
            }
        }

        resync.Abandon();
    }

    private void Opened()
    {
        failures = 0;
        lastError = null;
        watching = true;
        everWatched = true;
    }

    private async Task ListAsync(bool initial, CancellationToken cancellationToken)
    {
        ObjectList list = await source.ListAsync(scope, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int published = 0;
        foreach (var item in list.Items)
        {
            if (!Decode(item, out ObservedObject? observed))
            {
                continue;
            }

            seen.Add(observed.Uid);

            // At start every object is restated (level-triggered consumers catch up); after a 410 re-list only
            // objects whose fingerprint moved while the watch was blind.
            if (initial || !tracked.TryGetValue(observed.Uid, out ObservedObject? previous) || previous.Fingerprint != observed.Fingerprint)
            {
                await publisher.EnqueueAsync(events.Changed(scope.Kind, observed, isResync: true), cancellationToken).ConfigureAwait(false);
                Record(observed);
                published++;
            }

            tracked[observed.Uid] = observed;
            bodies?.Set(observed);
        }

        foreach (ObservedObject gone in tracked.Values.Where(o => !seen.Contains(o.Uid)).ToList())
        {
            bodies?.Remove(gone.Namespace, gone.Name, gone.Uid);
            await publisher.EnqueueAsync(events.Deleted(scope.Kind, gone, gone.ResourceVersion), cancellationToken).ConfigureAwait(false);
            tracked.Remove(gone.Uid);
            state?.Deleted(gone.Uid);
            published++;
        }

        metrics.ObjectsTracked.WithLabels(scope.Kind.Kind).Set(tracked.Count);
        resourceVersion = list.ResourceVersion;
        LogListed(logger, scope, list.Items.Count, published, list.ResourceVersion);
    }

    private async Task HandleAsync(WatchEvent e, CancellationToken cancellationToken)
    {
        string kind = scope.Kind.Kind;
        metrics.WatchEvents.WithLabels(kind, e.Type.ToString()).Inc();
        if (e.Type == WatchEventType.Bookmark)
        {
            resourceVersion = ObjectDecoder.ReadResourceVersion(e.Object) ?? resourceVersion;
            return;
        }

        if (!Decode(e.Object, out ObservedObject? observed))
        {
            // Skip it but move past it, so a resume does not read it again.
            resourceVersion = ObjectDecoder.ReadResourceVersion(e.Object) ?? resourceVersion;
            return;
        }

        if (e.Type == WatchEventType.Deleted)
        {
            ObservedObject last = tracked.GetValueOrDefault(observed.Uid) ?? observed;
            await publisher.EnqueueAsync(events.Deleted(scope.Kind, last with { Body = observed.Body }, observed.ResourceVersion), cancellationToken)
                .ConfigureAwait(false);
            tracked.Remove(observed.Uid);
            state?.Deleted(observed.Uid);
            bodies?.Remove(observed.Namespace, observed.Name, observed.Uid);
        }
        else if (tracked.TryGetValue(observed.Uid, out ObservedObject? previous) && previous.Fingerprint == observed.Fingerprint)
        {
            metrics.NoiseSkipped.WithLabels(kind).Inc();
            tracked[observed.Uid] = observed;
            bodies?.Set(observed);
        }
        else
        {
            await publisher.EnqueueAsync(events.Changed(scope.Kind, observed, isResync: false), cancellationToken).ConfigureAwait(false);
            tracked[observed.Uid] = observed;
            bodies?.Set(observed);
            Record(observed);
        }

        metrics.ObjectsTracked.WithLabels(kind).Set(tracked.Count);
        resourceVersion = observed.ResourceVersion;
    }

    private bool Decode(System.Text.Json.JsonElement json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ObservedObject? observed)
    {
        if (ObjectDecoder.TryDecode(scope.Kind.Kind, json, out observed, out DecodeFailure? failure) && observed is not null)
        {
            return true;
        }

        metrics.DecodeFailures.WithLabels(scope.Kind.Kind).Inc();
        LogDecodeFailed(logger, failure!.Description, failure.Reason);
        return false;
    }

    private void Record(ObservedObject o) =>
        state?.Published(new PublishedObject(scope.Kind.Kind, o.Namespace, o.Name, o.Uid, o.ResourceVersion));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Object}: cannot decode it ({Reason})")]
    private static partial void LogDecodeFailed(ILogger logger, string @object, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Scope}: {Count} objects, {Published} events, resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, WatchScope scope, int count, int published, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Scope} ended; resuming from resourceVersion {ResourceVersion}")]
    private static partial void LogWatchEnded(ILogger logger, WatchScope scope, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Scope} from resourceVersion {ResourceVersion} expired ({Reason}); re-listing")]
    private static partial void LogExpired(ILogger logger, WatchScope scope, string? resourceVersion, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List or watch of {Scope} failed; retrying in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, WatchScope scope, TimeSpan delay);
}
