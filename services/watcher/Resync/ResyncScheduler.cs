using System.Threading.Channels;
using Lookout.Contracts;
using Lookout.Watcher.Kubernetes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Resync;

/// <summary>
/// Answers <see cref="ResyncRequested"/> on the leader: every watcher of the asked kinds re-lists and restates its
/// objects (<see cref="ResourceWatcher.ResyncAsync"/>, the start-up listing's path). Requests that arrive while one
/// is pending or running are coalesced into the next; two resyncs start at least
/// <see cref="ResyncOptions.MinInterval"/> apart, a request inside it waiting for its end. A replica that does not
/// lead ignores requests: whoever leads next lists everything when its term starts.
/// </summary>
public sealed partial class ResyncScheduler : BackgroundService
{
    private readonly KubernetesWatchingService watching;
    private readonly ResyncOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ResyncMetrics metrics;
    private readonly ILogger logger;
    private readonly Channel<ResyncRequested> requests = Channel.CreateUnbounded<ResyncRequested>();
    private DateTimeOffset? lastStarted;
    private int completed;

    /// <summary>Creates the scheduler of one watcher replica.</summary>
    public ResyncScheduler(KubernetesWatchingService watching, ResyncOptions options, TimeProvider timeProvider, ResyncMetrics metrics, ILogger<ResyncScheduler> logger)
    {
        this.watching = watching;
        this.options = options;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>Resyncs run to completion so far.</summary>
    public int Completed => Volatile.Read(ref completed);

    /// <summary>Requests waiting for the next resync.</summary>
    public int Pending => requests.Reader.Count;

    /// <summary>Takes a request: queued on the leader, counted and ignored elsewhere.</summary>
    public void Request(ResyncRequested request)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool leading = watching.IsLeading;
        metrics.Requests.WithLabels(ReasonLabel(request.Reason), leading ? "true" : "false").Inc();
        if (!leading)
        {
            LogIgnored(logger, request.Service, request.Instance, request.Reason);
            return;
        }

        requests.Writer.TryWrite(request);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await requests.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                DateTimeOffset now = timeProvider.GetUtcNow();
                if (lastStarted is { } last && now < last + options.MinInterval)
                {
                    TimeSpan wait = last + options.MinInterval - now;
                    LogDeferred(logger, wait);
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }

                // Everything asked until now is answered by this one resync.
                List<ResyncRequested> batch = [];
                while (requests.Reader.TryRead(out ResyncRequested? request))
                {
                    batch.Add(request);
                }

                await ResyncAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ResyncAsync(List<ResyncRequested> batch, CancellationToken stoppingToken)
    {
        HashSet<string>? kinds = batch.Any(r => r.Kinds.Count == 0) ? null : [.. batch.SelectMany(r => r.Kinds)];
        ResourceWatcher[] watchers = [.. watching.Watchers.Where(w => kinds is null || kinds.Contains(w.Scope.Kind.Kind))];
        if (!watching.IsLeading || watchers.Length == 0)
        {
            return;
        }

        lastStarted = timeProvider.GetUtcNow();
        string reason = ReasonLabel(batch[0].Reason);
        metrics.Resyncs.WithLabels(reason).Inc();
        string askedBy = string.Join(", ", batch.Select(r => $"{r.Service} {r.Instance} ({r.Reason})").Distinct(StringComparer.Ordinal));
        LogResyncing(logger, batch.Count, askedBy, string.Join(", ", watchers.Select(w => w.Scope)));
        try
        {
            await Task.WhenAll(watchers.Select(w => w.ResyncAsync())).WaitAsync(stoppingToken).ConfigureAwait(false);
            Interlocked.Increment(ref completed);
            LogResynced(logger, watchers.Length);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The term ended mid-resync; the next term lists everything anyway.
            LogTermEnded(logger);
        }
    }

    // Reasons are label values: only the known ones, so a misbehaving client cannot grow the series.
    private static string ReasonLabel(string reason) =>
        reason is ResyncRequested.Started or ResyncRequested.Reconnected ? reason : "other";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resync asked by {Service} {Instance} ({Reason}) ignored: this replica does not lead")]
    private static partial void LogIgnored(ILogger logger, string service, string instance, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resync deferred by {Wait} (Watcher:Resync:MinInterval); requests until then are answered together")]
    private static partial void LogDeferred(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resyncing for {Requests} request(s) from {AskedBy}: re-listing {Scopes}")]
    private static partial void LogResyncing(ILogger logger, int requests, string askedBy, string scopes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resync done: {Scopes} scope(s) restated")]
    private static partial void LogResynced(ILogger logger, int scopes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resync stopped: the term ended; the next leader lists everything")]
    private static partial void LogTermEnded(ILogger logger);
}
