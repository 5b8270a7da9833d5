using System.Threading.Channels;
using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Hosting;

/// <summary>
/// Asks the watcher for the current state (<see cref="ResyncRequested"/>) when this service's partition queues for
/// the watcher's events are ready: once all of them are bound at start, and again whenever one is declared anew
/// after the broker connection recovered (a broker that lost its queues, or a queue an operator deleted, gets them
/// back then). Events published while a queue did not exist were dropped by the broker; the watcher's answer
/// restates every object, and the consumers, level-triggered, act only on what is new to them.
/// </summary>
internal sealed partial class ResyncRequests : BackgroundService, IReceiveEndpointObserver
{
    private static readonly Dictionary<Type, string> KindOf = new()
    {
        [typeof(ApplicationChanged)] = "Application",
        [typeof(RolloutChanged)] = "Rollout",
    };

    private readonly HashSet<string> queues;
    private readonly HashSet<string> ready = new(StringComparer.Ordinal);
    private readonly Channel<string> reasons = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceProvider services;
    private readonly BusOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string service;
    private readonly IReadOnlyList<string> kinds;
    private bool started;

    public ResyncRequests(IServiceProvider services, Microsoft.Extensions.Options.IOptions<BusOptions> options, TimeProvider timeProvider, ILogger<ResyncRequests> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.services = services;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        List<OrderedConsumer> consumers = [.. Consumers(services.GetServices<OrderedConsumer>())];
        // In memory every consumer is in this process and bound before any source starts: nothing is ever dropped.
        queues = !this.options.RabbitMq.IsConfigured ? [] : [.. from c in consumers from i in Enumerable.Range(0, this.options.Partitions) select ObjectPartitions.QueueName(c.EndpointName, i, this.options.Partitions)];
        service = string.Join('+', consumers.Select(c => c.ConsumerType.Assembly.GetName().Name).Distinct().Order(StringComparer.Ordinal));

        // ObjectDeleted is about every kind; a consumer of only one kind's changes asks for that kind.
        kinds = consumers.Any(c => !KindOf.ContainsKey(c.MessageType)) ? [] : [.. consumers.Select(c => KindOf[c.MessageType]).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether any consumer here needs the watcher's events (else nothing is ever asked).</summary>
    public bool IsNeeded => queues.Count > 0;

    /// <summary>The consumers of the watcher's events among <paramref name="all"/>.</summary>
    public static IEnumerable<OrderedConsumer> Consumers(IEnumerable<OrderedConsumer> all) =>
        all.Where(c => c.MessageType == typeof(ObjectDeleted) || KindOf.ContainsKey(c.MessageType));

    /// <inheritdoc/>
    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        string queue = ready.InputAddress.AbsolutePath.Split('/')[^1];
        if (queues.Contains(queue))
        {
            lock (this.ready)
            {
                this.ready.Add(queue);
                if (started)
                {
                    reasons.Writer.TryWrite(ResyncRequested.Reconnected);
                }
                else if (this.ready.Count == queues.Count)
                {
                    started = true;
                    reasons.Writer.TryWrite(ResyncRequested.Started);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string instance = $"{Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName}/{Environment.ProcessId}";
        try
        {
            while (await reasons.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Queues that came back together (a reconnect re-declares all of them) ask once.
                string reason = ResyncRequested.Reconnected;
                while (reasons.Reader.TryRead(out string? next))
                {
                    reason = next == ResyncRequested.Started ? next : reason;
                }

                var request = new ResyncRequested { Service = service, Instance = instance, Reason = reason, Kinds = kinds, RequestedAt = timeProvider.GetUtcNow() };
                await PublishAsync(request, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(ResyncRequested request, CancellationToken cancellationToken)
    {
        IBus bus = services.GetRequiredService<IBus>();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await bus.Publish(request, cancellationToken).ConfigureAwait(false);
                LogRequested(logger, request.Reason, request.Kinds.Count == 0 ? "all kinds" : string.Join(", ", request.Kinds));
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The broker is away: retried until it answers (its return re-declares the queues and asks again anyway).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogNotRequested(logger, ex, attempt, options.ReconnectInterval);
                await Task.Delay(options.ReconnectInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queues ready ({Reason}): asked the watcher for the current state of {Kinds}")]
    private static partial void LogRequested(ILogger logger, string reason, string kinds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the watcher for a resync (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogNotRequested(ILogger logger, Exception exception, int attempt, TimeSpan delay);
}
