using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace Lookout.Benchmarks.Notifier;

/// <summary>Publishes the fleet's events as the watcher would: the shared bus configuration (routing per object, confirms on), retried while the broker is away.</summary>
internal sealed class FleetPublisher : IAsyncDisposable
{
    private readonly IHost host;
    private readonly IBus bus;

    private FleetPublisher(IHost host)
    {
        this.host = host;
        bus = host.Services.GetRequiredService<IBus>();
    }

    public static async Task<FleetPublisher> StartAsync(RabbitMqFixture broker)
    {
        IHost host = BusHost(broker, _ => { });
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return new FleetPublisher(host);
    }

    /// <summary>A host on the broker with the services' bus configuration and the given consumers.</summary>
    public static IHost BusHost(RabbitMqFixture broker, Action<IBusRegistrationConfigurator> consumers, Action<IServiceCollection>? services = null, int partitions = 8)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = broker.Url,
            ["Bus:Partitions"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddLogging();
        services?.Invoke(builder.Services);
        builder.Services.AddLookoutBus(builder.Configuration, consumers);
        return builder.Build();
    }

    /// <summary>Publishes one event, trying again until the broker takes it (a broker restart holds it back, never drops it).</summary>
    public async Task PublishAsync(ApplicationChanged message)
    {
        while (true)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await bus.Publish(message, timeout.Token);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await Task.Delay(500);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

/// <summary>
/// A closed loop over the fleet: every Application goes through <c>cycles</c> cycles, its next state written and
/// published only once everything its previous state sends has arrived (or, for the raw consumer, once the event was
/// consumed). With a thousand Applications in flight the queues never run dry, so the rate is the consumer's.
/// </summary>
internal sealed class ClosedLoop
{
    private readonly NotifierFleet fleet;
    private readonly int firstCycle;
    private readonly int cycles;
    private readonly Func<int, int> arrivalsOfStep;
    private readonly int[] position;
    private readonly int[] remaining;
    private readonly Channel<int> ready = Channel.CreateUnbounded<int>();
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int finished;
    private int progress;

    public ClosedLoop(NotifierFleet fleet, int firstCycle, int cycles, Func<int, int> arrivalsOfStep)
    {
        this.fleet = fleet;
        this.firstCycle = firstCycle;
        this.cycles = cycles;
        this.arrivalsOfStep = arrivalsOfStep;
        position = new int[fleet.Count];
        remaining = new int[fleet.Count];
    }

    public int Events => fleet.Count * cycles * NotifierFleet.StepsPerCycle;

    /// <summary>Runs the loop; returns how long it took from the first event to the last arrival.</summary>
    public async Task<TimeSpan> RunAsync(FleetPublisher publisher, TimeSpan timeout, int workers = 16)
    {
        for (int i = 0; i < fleet.Count; i++)
        {
            remaining[i] = arrivalsOfStep(0);
            ready.Writer.TryWrite(i);
        }

        var clock = Stopwatch.StartNew();
        Task[] running = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (await ready.Reader.WaitToReadAsync())
            {
                while (ready.Reader.TryRead(out int i))
                {
                    int p;
                    lock (this)
                    {
                        p = position[i];
                    }

                    await publisher.PublishAsync(fleet.Step(i, firstCycle + (p / NotifierFleet.StepsPerCycle), p % NotifierFleet.StepsPerCycle));
                }
            }
        }))];
        try
        {
            // Stalled (something lost on the way) once nothing moved for a minute.
            int moved = -1;
            while (!done.Task.IsCompleted)
            {
                int now = Volatile.Read(ref progress);
                if (now == moved || clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"closed loop: {finished}/{fleet.Count} Applications finished, no progress for a minute or over {timeout}");
                }

                moved = now;
                await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(1)));
            }
        }
        finally
        {
            ready.Writer.TryComplete();
        }

        TimeSpan elapsed = clock.Elapsed;
        await Task.WhenAll(running);
        return elapsed;
    }

    /// <summary>Something a state sends arrived (or its event was consumed).</summary>
    public void Arrived(string app, int cycle, int step)
    {
        int i = fleet.IndexOf(app);
        if (i < 0)
        {
            return;
        }

        lock (this)
        {
            int p = ((cycle - firstCycle) * NotifierFleet.StepsPerCycle) + step;
            if (p != position[i] || --remaining[i] > 0)
            {
                return;
            }

            position[i]++;
            progress++;
            if (position[i] == cycles * NotifierFleet.StepsPerCycle)
            {
                if (++finished == fleet.Count)
                {
                    done.TrySetResult();
                }

                return;
            }

            remaining[i] = arrivalsOfStep(position[i] % NotifierFleet.StepsPerCycle);
            ready.Writer.TryWrite(i);
        }
    }
}

/// <summary>An open loop: the fleet's states written and published at a fixed rate (every Application's first state, then every second state…), in order per Application.</summary>
internal static class PacedLoop
{
    /// <summary>Publishes <c>cycles</c> cycles at <paramref name="rate"/> events/s; <paramref name="published"/> counts the events handed to the publisher.</summary>
    public static async Task RunAsync(NotifierFleet fleet, FleetPublisher publisher, int firstCycle, int cycles, double rate, StrongBox<int> published)
    {
        var last = new Task[fleet.Count];
        Array.Fill(last, Task.CompletedTask);
        using var inFlight = new SemaphoreSlim(512);
        var clock = Stopwatch.StartNew();
        int k = 0;
        for (int c = firstCycle; c < firstCycle + cycles; c++)
        {
            for (int s = 0; s < NotifierFleet.StepsPerCycle; s++)
            {
                for (int i = 0; i < fleet.Count; i++, k++)
                {
                    TimeSpan due = TimeSpan.FromSeconds(k / rate);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    await inFlight.WaitAsync();
                    ApplicationChanged message = fleet.Step(i, c, s);
                    last[i] = After(last[i], message);
                    Interlocked.Increment(ref published.Value);
                }
            }
        }

        await Task.WhenAll(last);

        // One Application's events go out one after the other (a broker restart must not reorder them).
        async Task After(Task previous, ApplicationChanged message)
        {
            await previous;
            try
            {
                await publisher.PublishAsync(message);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }
}

/// <summary>
/// Backlogs: one state of every Application published while the consumer is held (the notifier stopped with SIGSTOP,
/// the raw consumer at its gate), then timed from its release until everything the backlog sends has arrived. One
/// event per Application per backlog, so the consumer's own rate is measured, not the driver's publishing.
/// </summary>
internal static class Backlog
{
    public static async Task PublishAsync(NotifierFleet fleet, FleetPublisher publisher, int cycle, int step) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, fleet.Count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await publisher.PublishAsync(fleet.Step(i, cycle, step)));

    /// <summary>Releases the consumer and times until <paramref name="arrived"/> reaches <paramref name="target"/>.</summary>
    public static async Task<TimeSpan> DrainAsync(Func<Task> release, Func<int> arrived, int target, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await release();
        while (arrived() < target)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"backlog: {arrived()} of {target} arrived within {timeout}");
            }

            await Task.Delay(2);
        }

        return clock.Elapsed;
    }

    /// <summary>Sends a signal (<c>STOP</c>, <c>CONT</c>) to a process.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}

/// <summary>The raw MassTransit yardstick: a consumer that only counts (behind a gate), registered as the notifier's (ordered, same partitions), and its queues removed afterwards.</summary>
internal sealed class RawConsumer : IConsumer<ApplicationChanged>
{
    public const string Endpoint = "bench-raw";

    private readonly Gate gate;

    public RawConsumer(Gate gate) => this.gate = gate;

    public async Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        await gate.Open.Task;
        Interlocked.Increment(ref gate.Consumed);
    }

    public static IHost Host(RabbitMqFixture broker, Gate gate, int partitions) =>
        FleetPublisher.BusHost(
            broker,
            bus => bus.AddOrderedConsumer<RawConsumer, ApplicationChanged>(Endpoint),
            services => services.AddSingleton(gate),
            partitions);

    public static async Task DeleteQueuesAsync(RabbitMqFixture broker, int partitions)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Url) };
        await using IConnection connection = await factory.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        for (int i = 0; i < partitions; i++)
        {
            await channel.QueueDeleteAsync(ObjectPartitions.QueueName(Endpoint, i, partitions), ifUnused: false, ifEmpty: false);
        }
    }

    /// <summary>Holds the consumer until opened; counts what it consumed.</summary>
    internal sealed class Gate
    {
#pragma warning disable CA1051 // a counter updated with Interlocked
        public int Consumed;
#pragma warning restore CA1051

        public TaskCompletionSource Open { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
