using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lookout.Hosting;

/// <summary>
/// Watches the bus's connection to the broker (MassTransit's bus health, read every 250 ms) and makes it visible:
/// <c>lookout_bus_connected</c> (1 or 0), <c>lookout_bus_disconnected_seconds_total</c> (time spent waiting for
/// the broker), <c>lookout_bus_disconnections_total</c>, a log line per outage, and readiness (<see cref="BusReadiness"/>).
/// </summary>
public sealed partial class BusConnectionMonitor : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly IBusControl bus;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Gauge connected;
    private readonly Counter disconnectedSeconds;
    private readonly Counter disconnections;
    private long disconnectedSince = -1;
    private volatile bool everConnected;

    /// <summary>Creates the monitor.</summary>
    public BusConnectionMonitor(IBusControl bus, HostMetrics metrics, TimeProvider timeProvider, ILogger<BusConnectionMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        this.bus = bus;
        this.timeProvider = timeProvider;
        this.logger = logger;
        connected = metrics.Factory.CreateGauge("lookout_bus_connected", "1 while the bus is connected to the broker, else 0.");
        disconnectedSeconds = metrics.Factory.CreateCounter("lookout_bus_disconnected_seconds_total", "Seconds the bus spent disconnected from the broker after it had connected.");
        disconnections = metrics.Factory.CreateCounter("lookout_bus_disconnections_total", "Times the bus lost its connection to the broker.");
    }

    /// <summary>Whether the bus was connected at the last look.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Whether the bus has connected since the start.</summary>
    public bool EverConnected => everConnected;

    /// <summary>How long the bus has been disconnected after having been connected; null while connected or before the first connection.</summary>
    public TimeSpan? DisconnectedFor
    {
        get
        {
            long since = Interlocked.Read(ref disconnectedSince);
            return since < 0 ? null : timeProvider.GetElapsedTime(since);
        }
    }

    /// <summary>Looks at the bus once (the loop does this every 250 ms).</summary>
    public void Observe()
    {
        bool now = bus.CheckHealth().Status == BusHealthStatus.Healthy;
        long stamp = timeProvider.GetTimestamp();
        if (now)
        {
            long since = Interlocked.Exchange(ref disconnectedSince, -1);
            if (since >= 0)
            {
                TimeSpan lasted = timeProvider.GetElapsedTime(since, stamp);
                disconnectedSeconds.Inc(lasted.TotalSeconds);
                LogReconnected(logger, lasted);
            }

            everConnected = true;
        }
        else if (everConnected && Interlocked.CompareExchange(ref disconnectedSince, stamp, -1) == -1)
        {
            disconnections.Inc();
            LogDisconnected(logger);
        }

        IsConnected = now;
        connected.Set(now ? 1 : 0);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            do
            {
                Observe();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bus lost its connection to the broker; reconnecting")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bus is connected to the broker again after {Outage}")]
    private static partial void LogReconnected(ILogger logger, TimeSpan outage);
}

/// <summary>Not ready until the bus first connects, and once it has been disconnected for longer than <see cref="BusOptions.NotReadyAfter"/>.</summary>
public sealed class BusReadiness(BusConnectionMonitor monitor, IOptions<BusOptions> options) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        HealthCheckResult result = monitor.IsConnected
            ? HealthCheckResult.Healthy("connected")
            : !monitor.EverConnected
                ? HealthCheckResult.Unhealthy("not connected to the broker yet")
                : monitor.DisconnectedFor is { } down && down > options.Value.NotReadyAfter
                    ? HealthCheckResult.Unhealthy($"disconnected from the broker for {down.TotalSeconds:F0} s")
                    : HealthCheckResult.Healthy($"reconnecting to the broker ({monitor.DisconnectedFor?.TotalSeconds ?? 0:F0} s)");
        return Task.FromResult(result);
    }
}
