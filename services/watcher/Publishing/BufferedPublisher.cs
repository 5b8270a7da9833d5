using System.Threading.Channels;
using Lookout.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Publishing;

/// <summary>
/// Holds events and publishes them with broker confirms, retrying while the broker is down. At most
/// <see cref="PublisherOptions.BufferCapacity"/> events are held; when that many wait, <see cref="EnqueueAsync"/>
/// waits, so the watchers stop reading their watches (back-pressure) instead of dropping anything. Events of one
/// object (by <see cref="OutgoingEvent.ObjectKey"/>) keep their order: they go through one lane, which publishes
/// its next event only after the broker confirmed the previous one. Lanes queue independently, so a slow or stuck
/// lane holds up only its own objects.
/// </summary>
public sealed partial class BufferedPublisher : BackgroundService, IEventPublisher
{
    private readonly PublisherOptions options;
    private readonly Func<OutgoingEvent, CancellationToken, Task> publishOne;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly PublisherMetrics metrics;
    private readonly Backoff backoff;
    private readonly SemaphoreSlim capacity;
    private readonly Channel<OutgoingEvent>[] lanes;
    private readonly Lock stateGate = new();
    private TaskCompletionSource recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long outageStarted = -1;
    private int pending;

    /// <summary>Creates the publisher.</summary>
    /// <param name="options">Buffer size, lanes and retry timing.</param>
    /// <param name="publishOne">Publishes one event and completes when the broker confirmed it.</param>
    /// <param name="timeProvider">The clock for retry delays.</param>
    /// <param name="logger">Where failures and give-ups are logged.</param>
    /// <param name="metrics">Where counts go; null for metrics of their own.</param>
    public BufferedPublisher(
        PublisherOptions options,
        Func<OutgoingEvent, CancellationToken, Task> publishOne,
        TimeProvider timeProvider,
        ILogger logger,
        PublisherMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.publishOne = publishOne;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.metrics = metrics ?? PublisherMetrics.Unregistered();
        backoff = new Backoff(options.InitialRetryDelay, options.MaxRetryDelay);
        capacity = new SemaphoreSlim(options.BufferCapacity, options.BufferCapacity);

        // Lanes need no bound of their own: the capacity semaphore bounds what all of them hold together.
        lanes = new Channel<OutgoingEvent>[options.Lanes];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Channel.CreateUnbounded<OutgoingEvent>(new UnboundedChannelOptions { SingleReader = true });
        }

        this.metrics.BufferCapacity.Set(options.BufferCapacity);
        this.metrics.BrokerConnected.Set(1);
    }

    /// <summary>Events accepted and not yet confirmed (or given up).</summary>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>How long publishing has been failing (since the first failed attempt after a success); null while it works.</summary>
    public TimeSpan? FailingFor
    {
        get
        {
            long started = Interlocked.Read(ref outageStarted);
            return started < 0 ? null : timeProvider.GetElapsedTime(started);
        }
    }

    /// <inheritdoc />
    public async ValueTask EnqueueAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        await capacity.WaitAsync(cancellationToken).ConfigureAwait(false);
        metrics.BufferDepth.Set(Interlocked.Increment(ref pending));
        if (!LaneOf(outgoing).Writer.TryWrite(outgoing))
        {
            GiveUp(outgoing, "shutdown");
        }
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        CompleteLanes();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // When the host stops before the lanes ever ran, what was accepted is still here: give it up by name too.
        foreach (Channel<OutgoingEvent> lane in lanes)
        {
            while (lane.Reader.TryRead(out OutgoingEvent? left))
            {
                GiveUp(left, "shutdown");
            }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        capacity.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The sources stop before this stage (HostStage.Sources before HostStage.Publishing), then the lanes keep
        // draining for DrainTimeout, and only what is still left is given up, one log line per event.
        using var drain = new CancellationTokenSource();
        using CancellationTokenRegistration onStop = stoppingToken.Register(() =>
        {
            CompleteLanes();
            drain.CancelAfter(options.DrainTimeout);
        });

        await Task.WhenAll(lanes.Select(lane => RunLaneAsync(lane.Reader, drain.Token))).ConfigureAwait(false);
    }

    private Channel<OutgoingEvent> LaneOf(OutgoingEvent outgoing)
    {
        // FNV-1a: the same object gets the same lane in every process (string hashes are randomized per process).
        uint hash = 2166136261;
        foreach (char c in outgoing.ObjectKey)
        {
            hash = (hash ^ c) * 16777619;
        }

        return lanes[(int)(hash % (uint)lanes.Length)];
    }

    private void CompleteLanes()
    {
        foreach (Channel<OutgoingEvent> lane in lanes)
        {
            lane.Writer.TryComplete();
        }
    }

    private async Task RunLaneAsync(ChannelReader<OutgoingEvent> lane, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (OutgoingEvent outgoing in lane.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await PublishWithRetryAsync(outgoing, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            while (lane.TryRead(out OutgoingEvent? left))
            {
                GiveUp(left, "shutdown");
            }
        }
    }

    private async Task PublishWithRetryAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        long firstAttempt = timeProvider.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                metrics.Retries.Inc();
            }

            try
            {
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptTimeout.CancelAfter(options.AttemptTimeout);
                await publishOne(outgoing, attemptTimeout.Token).ConfigureAwait(false);
                metrics.Published.WithLabels(outgoing.Message.GetType().Name).Inc();
                metrics.PublishLatency.Observe(timeProvider.GetElapsedTime(firstAttempt).TotalSeconds);
                Done();
                MarkWorking();
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                GiveUp(outgoing, "shutdown");
                throw;
            }
            catch (Exception ex) when (IsPermanent(ex))
            {
                metrics.Failures.Inc();
                LogUnpublishable(logger, ex, outgoing.Description, outgoing.MessageId);
                GiveUp(outgoing, "unpublishable");
                return;
            }
#pragma warning disable CA1031 // Any broker fault is retried: nothing is dropped while the service runs.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                metrics.Failures.Inc();
                TimeSpan delay = backoff.Delay(attempt);
                Task recovery = MarkFailing();
                if (attempt == 1)
                {
                    LogRetrying(logger, ex, outgoing.Description, attempt, delay);
                }

                try
                {
                    // Whichever comes first: this lane's own backoff, or another lane's publish going through
                    // (the broker is back: every waiting lane retries at once instead of sleeping out its delay).
                    await Task.WhenAny(Task.Delay(delay, timeProvider, cancellationToken), recovery).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                catch (OperationCanceledException)
                {
                    GiveUp(outgoing, "shutdown");
                    throw;
                }
            }
        }
    }

    private Task MarkFailing()
    {
        lock (stateGate)
        {
            if (outageStarted < 0)
            {
                Interlocked.Exchange(ref outageStarted, timeProvider.GetTimestamp());
                metrics.Outages.Inc();
                metrics.BrokerConnected.Set(0);
            }

            return recovered.Task;
        }
    }

    private void MarkWorking()
    {
        if (Interlocked.Read(ref outageStarted) < 0)
        {
            return;
        }

        TaskCompletionSource wake;
        TimeSpan lasted;
        lock (stateGate)
        {
            if (outageStarted < 0)
            {
                return;
            }

            lasted = timeProvider.GetElapsedTime(outageStarted);
            Interlocked.Exchange(ref outageStarted, -1);
            wake = recovered;
            recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        metrics.OutageSeconds.Inc(lasted.TotalSeconds);
        metrics.BrokerConnected.Set(1);
        LogRecovered(logger, lasted);
        wake.TrySetResult();
    }

    private static bool IsPermanent(Exception ex) =>
        ex is NotSupportedException or System.Text.Json.JsonException or ArgumentException;

    private void Done()
    {
        metrics.BufferDepth.Set(Interlocked.Decrement(ref pending));
        capacity.Release();
    }

    private void GiveUp(OutgoingEvent outgoing, string reason)
    {
        metrics.GivenUp.WithLabels(reason).Inc();
        LogGaveUp(logger, outgoing.Description, outgoing.MessageId, reason);
        Done();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Object} failed (attempt {Attempt}); retrying in {Delay}, holding events meanwhile")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string @object, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing recovered after {Outage}")]
    private static partial void LogRecovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot publish {Object} (message {MessageId}); it will not be retried")]
    private static partial void LogUnpublishable(ILogger logger, Exception exception, string @object, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up the event of {Object} (message {MessageId}): {Reason}; the next start re-lists and restates it")]
    private static partial void LogGaveUp(ILogger logger, string @object, Guid messageId, string reason);
}
