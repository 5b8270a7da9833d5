using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Publishing;

/// <summary>
/// Holds events in a bounded buffer and publishes them with broker confirms, retrying while the broker is down.
/// When the buffer is full, <see cref="EnqueueAsync"/> waits, so the watchers stop reading their watches
/// (back-pressure) instead of dropping anything. Events of one object keep their order: they go through one lane,
/// and a lane publishes its next event only after the broker confirmed the previous one.
/// </summary>
public sealed partial class BufferedPublisher : BackgroundService, IEventPublisher
{
    private readonly PublisherOptions options;
    private readonly Func<OutgoingEvent, CancellationToken, Task> publishOne;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Channel<OutgoingEvent> buffer;
    private readonly Channel<OutgoingEvent>[] lanes;
    private int pending;
    private int outage;

    /// <summary>Creates the publisher.</summary>
    /// <param name="options">Buffer size, lanes and retry timing.</param>
    /// <param name="publishOne">Publishes one event and completes when the broker confirmed it.</param>
    /// <param name="timeProvider">The clock for retry delays.</param>
    /// <param name="logger">Where failures and give-ups are logged.</param>
    public BufferedPublisher(
        PublisherOptions options,
        Func<OutgoingEvent, CancellationToken, Task> publishOne,
        TimeProvider timeProvider,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.publishOne = publishOne;
        this.timeProvider = timeProvider;
        this.logger = logger;
        buffer = Channel.CreateBounded<OutgoingEvent>(new BoundedChannelOptions(options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

        // A lane holds one event beyond the one it is publishing; the rest waits in the shared buffer, so the
        // buffer's capacity is what bounds memory.
        lanes = new Channel<OutgoingEvent>[options.Lanes];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Channel.CreateBounded<OutgoingEvent>(new BoundedChannelOptions(1)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
            });
        }

        PublisherMetrics.BufferCapacity.Set(options.BufferCapacity);
    }

    /// <summary>Events accepted and not yet confirmed (or given up).</summary>
    public int Pending => Volatile.Read(ref pending);

    /// <inheritdoc />
    public async ValueTask EnqueueAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outgoing);
        await buffer.Writer.WriteAsync(outgoing, cancellationToken).ConfigureAwait(false);
        PublisherMetrics.BufferDepth.Set(Interlocked.Increment(ref pending));
    }

    /// <summary>Completes when every accepted event has been confirmed or given up.</summary>
    public async Task WaitUntilEmptyAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        buffer.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // When the host stops before the pump ever ran, what was accepted is still here: give it up by name too.
        while (buffer.Reader.TryRead(out OutgoingEvent? left))
        {
            GiveUp(left, "shutdown");
        }

        foreach (Channel<OutgoingEvent> lane in lanes)
        {
            while (lane.Reader.TryRead(out OutgoingEvent? left))
            {
                GiveUp(left, "shutdown");
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stopping first stops the watchers (registered after this service, so stopped before it); then the buffer
        // keeps draining for DrainTimeout, and only what is still left is given up, one log line per event.
        using var drain = new CancellationTokenSource();
        using CancellationTokenRegistration onStop = stoppingToken.Register(() =>
        {
            buffer.Writer.TryComplete();
            drain.CancelAfter(options.DrainTimeout);
        });

        Task[] workers = new Task[lanes.Length + 1];
        for (int i = 0; i < lanes.Length; i++)
        {
            workers[i] = RunLaneAsync(lanes[i].Reader, drain.Token);
        }

        workers[^1] = DispatchAsync(drain.Token);
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (OutgoingEvent outgoing in buffer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Channel<OutgoingEvent> lane = lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(outgoing.Description) % (uint)lanes.Length)];
                try
                {
                    await lane.Writer.WriteAsync(outgoing, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    GiveUp(outgoing, "shutdown");
                    throw;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: fall through and give up what is still buffered.
        }
        finally
        {
            foreach (Channel<OutgoingEvent> lane in lanes)
            {
                lane.Writer.TryComplete();
            }

            while (buffer.Reader.TryRead(out OutgoingEvent? left))
            {
                GiveUp(left, "shutdown");
            }
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
        for (int attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                PublisherMetrics.Retries.Inc();
            }

            try
            {
                using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptTimeout.CancelAfter(options.AttemptTimeout);
                await publishOne(outgoing, attemptTimeout.Token).ConfigureAwait(false);
                PublisherMetrics.Published.WithLabels(outgoing.Message.GetType().Name).Inc();
                Done();
                if (Interlocked.Exchange(ref outage, 0) != 0)
                {
                    LogRecovered(logger);
                }

                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                GiveUp(outgoing, "shutdown");
                throw;
            }
            catch (Exception ex) when (IsPermanent(ex))
            {
                PublisherMetrics.Failures.Inc();
                LogUnpublishable(logger, ex, outgoing.Description, outgoing.MessageId);
                GiveUp(outgoing, "unpublishable");
                return;
            }
#pragma warning disable CA1031 // Any broker fault is retried: nothing is dropped while the service runs.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                PublisherMetrics.Failures.Inc();
                TimeSpan delay = RetryDelay(attempt);
                if (Interlocked.Exchange(ref outage, 1) == 0 || attempt == 1)
                {
                    LogRetrying(logger, ex, outgoing.Description, attempt, delay);
                }

                try
                {
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    GiveUp(outgoing, "shutdown");
                    throw;
                }
            }
        }
    }

    private static bool IsPermanent(Exception ex) =>
        ex is NotSupportedException or System.Text.Json.JsonException or ArgumentException;

    private TimeSpan RetryDelay(int attempt)
    {
        double factor = Math.Pow(2, Math.Min(attempt - 1, 16));
        return TimeSpan.FromTicks((long)Math.Min(options.InitialRetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
    }

    private void Done() => PublisherMetrics.BufferDepth.Set(Interlocked.Decrement(ref pending));

    private void GiveUp(OutgoingEvent outgoing, string reason)
    {
        PublisherMetrics.GivenUp.WithLabels(reason).Inc();
        LogGaveUp(logger, outgoing.Description, outgoing.MessageId, reason);
        Done();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Object} failed (attempt {Attempt}); retrying in {Delay}, holding events meanwhile")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string @object, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing recovered")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot publish {Object} (message {MessageId}); it will not be retried")]
    private static partial void LogUnpublishable(ILogger logger, Exception exception, string @object, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up the event of {Object} (message {MessageId}): {Reason}; the next start re-lists and restates it")]
    private static partial void LogGaveUp(ILogger logger, string @object, Guid messageId, string reason);
}
