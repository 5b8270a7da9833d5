using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Benchmarks.Watcher;

/// <summary>
/// The watcher under faults: the real watcher executable on the project's fake Kubernetes API and a private RabbitMQ,
/// a consumer built with the shared bus configuration, and one experiment per fault. Each prints the changes made,
/// messages consumed, lost changes, repeats (same message id twice), out-of-order messages per object at the
/// consumer, and recovery times. <c>benchmarks watcher-faults [objects] [changes] [long] [only=watch|broker|restart|poison]</c>;
/// <c>long</c> adds the 45 s broker outage.
/// </summary>
public static class WatcherFaultDriver
{
    private const string Apps = "applications";

    public static async Task<int> RunAsync(string[] args)
    {
        int objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
        int changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        bool longOutage = args.Contains("long");
        string? only = args.FirstOrDefault(a => a.StartsWith("only=", StringComparison.Ordinal))?["only=".Length..];
        bool Runs(string group) => only is null || only == group;
        var broker = new RabbitMqFixture();
        if (broker.MissingReason is not null)
        {
            Console.Error.WriteLine(broker.MissingReason);
            return 2;
        }

        await broker.InitializeAsync();
        try
        {
            if (Runs("watch"))
            {
                await RunAsync("baseline", objects, changes, broker, (_, _) => Task.CompletedTask);
                await RunAsync("6 watch drops, 2×410", objects, changes, broker, async (x, _) =>
                {
                    for (int i = 0; i < 8; i++)
                    {
                        await Task.Delay(400);
                        if (i % 4 == 3)
                        {
                            x.Api.Compact();
                        }

                        x.Api.DropWatches(abort: i % 2 == 0);
                    }
                });
            }

            foreach (int seconds in !Runs("broker") ? [] : longOutage ? [10, 45] : new[] { 10 })
            {
                await RunAsync($"broker down {seconds} s", objects, changes, broker, async (x, _) =>
                {
                    // The changes are made while the node is down (stopping it can take longer than making them).
                    x.ChangesMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    await broker.StopAsync();
                    x.ChangesMayStart.SetResult();
                    await Task.Delay(TimeSpan.FromSeconds(seconds));
                    x.BrokerStarting = Stopwatch.GetTimestamp();
                    await broker.StartAsync();
                    x.BrokerBack = Stopwatch.GetTimestamp();
                });
            }

            foreach (bool sameIdentity in Runs("restart") ? [true, false] : Array.Empty<bool>())
            {
                await RunAsync($"kill -9, restart as {(sameIdentity ? "the same" : "a new")} identity, 4 deleted in the gap", objects, changes, broker, async (x, run) =>
                {
                    await Task.Delay(1500);
                    x.Watcher!.Kill(entireProcessTree: true);
                    await x.Watcher.WaitForExitAsync();
                    for (int i = 0; i < 4; i++)
                    {
                        x.Api.Delete(Apps, "argocd", Name(i));
                        x.Deleted.Add(Name(i));
                    }

                    x.Restarted = Stopwatch.GetTimestamp();
                    x.Watcher = StartWatcher(x.Api, broker, sameIdentity ? "replica-1" : "replica-2");
                });
            }

            if (Runs("poison"))
            {
                await RunAsync("poison objects (depth 200 and 10,001) at list time and during the watch", objects, changes, broker, async (x, _) =>
            {
                await Task.Delay(500);
                x.Api.UpsertRaw(Apps, "argocd", "deep-watch", Deep("deep-watch", 200));
                x.Api.UpsertRaw(Apps, "argocd", "poison-watch", Deep("poison-watch", 10_001));
            }, before: api =>
            {
                api.UpsertRaw(Apps, "argocd", "deep-list", Deep("deep-list", 200));
                api.UpsertRaw(Apps, "argocd", "poison-list", Deep("poison-list", 10_001));
            });
            }
        }
        finally
        {
            await broker.DisposeAsync();
        }

        return 0;
    }

    private static string Name(int i) => $"app-{i:D4}";

    private static JsonObject Application(int i, int version) => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = Name(i), ["namespace"] = "argocd" },
        ["spec"] = new JsonObject { ["project"] = "default" },
        ["status"] = new JsonObject
        {
            ["sync"] = new JsonObject { ["status"] = "Synced" },
            ["health"] = new JsonObject { ["status"] = $"H{version}" },
        },
    };

    private static string Deep(string name, int depth) =>
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Application\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"argocd\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"__RV__\"},\"spec\":"
        + string.Concat(Enumerable.Repeat("{\"n\":", depth)) + "1" + new string('}', depth)
        + ",\"status\":{\"health\":{\"status\":\"H0\"}}}";

    private static async Task RunAsync(string name, int objects, int changes, RabbitMqFixture broker, Func<Experiment, int, Task> fault, Action<FakeKubernetesApiServer>? before = null)
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        for (int i = 0; i < objects; i++)
        {
            api.Upsert(Apps, Application(i, 0));
        }

        before?.Invoke(api);
        var sink = new FaultSink();
        using IHost consumer = ConsumerHost(broker, sink);
        await consumer.StartAsync();
        await consumer.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        var x = new Experiment(api) { Watcher = StartWatcher(api, broker, "replica-1") };
        try
        {
            await sink.WaitAsync(r => r.Count(m => m.Resync) >= objects, TimeSpan.FromSeconds(120));
            var made = new List<(string Name, int Version)>();
            var rng = new Random(42);
            Task faulting = fault(x, 0);
            await x.ChangesMayStart.Task;
            for (int c = 1; c <= changes; c++)
            {
                int i = rng.Next(4, objects);
                api.Upsert(Apps, Application(i, c));
                made.Add((Name(i), c));
                await Task.Delay(20);
            }

            await faulting;

            // Every object's last change (and each deletion) must arrive; then a short quiet period for stragglers.
            var lastPerObject = made.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Max(m => m.Version), StringComparer.Ordinal);
            bool complete = await sink.WaitAsync(
                r => lastPerObject.All(kv => r.Any(m => m.Name == kv.Key && m.Version == kv.Value)) && x.Deleted.All(d => r.Any(m => m.Deleted && m.Name == d)),
                TimeSpan.FromSeconds(180));
            await Task.Delay(2000);
            Report(name, made, sink, x, complete);
        }
        finally
        {
            x.Watcher?.Kill(entireProcessTree: true);
            await consumer.StopAsync();
        }
    }

    private static void Report(string name, List<(string Name, int Version)> made, FaultSink sink, Experiment x, bool complete)
    {
        FaultSink.Received[] received = sink.All;
        var seen = received.Where(r => !r.Deleted).Select(r => (r.Name, r.Version)).ToHashSet();
        int lost = made.Count(m => !seen.Contains(m));
        int lostLastStates = made.GroupBy(m => m.Name).Count(g => !seen.Contains((g.Key, g.Max(m => m.Version))));
        int repeated = received.GroupBy(r => r.MessageId).Sum(g => g.Count() - 1);
        int outOfOrder = 0;
        foreach (IGrouping<string, FaultSink.Received> perObject in received.Where(r => !r.Resync && !r.Deleted).GroupBy(r => r.Name))
        {
            int highest = -1;
            foreach (FaultSink.Received r in perObject)
            {
                if (r.Version < highest)
                {
                    outOfOrder++;
                }

                highest = Math.Max(highest, r.Version);
            }
        }

        int deletedTold = x.Deleted.Count(d => received.Any(r => r.Deleted && r.Name == d));
        string recovery = string.Empty;
        if (x.BrokerStarting is long starting && x.BrokerBack is long back)
        {
            // The node accepts connections some time before the fixture's start (rabbitmqctl await_startup) returns:
            // times are from the start command, with the start's own duration beside them.
            FaultSink.Received[] after = [.. received.Where(r => r.At > starting)];
            string started = $"node start took {Stopwatch.GetElapsedTime(starting, back).TotalSeconds:F1} s";
            recovery = after.Length == 0 ? $"; nothing after the broker's start ({started})"
                : $"; from the broker's start command: first message consumed in {Stopwatch.GetElapsedTime(starting, after[0].At).TotalSeconds:F1} s, drained in {Stopwatch.GetElapsedTime(starting, after[^1].At).TotalSeconds:F1} s ({started})";
        }

        if (x.Restarted is long restarted)
        {
            FaultSink.Received[] after = [.. received.Where(r => r.At > restarted)];
            recovery = after.Length == 0 ? "; nothing after the restart"
                : $"; first message {Stopwatch.GetElapsedTime(restarted, after[0].At).TotalSeconds:F1} s after the restart; ObjectDeleted for {deletedTold}/{x.Deleted.Count} deleted in the gap";
        }

        Console.WriteLine(
            $"{name}: {made.Count} changes, {received.Length} messages consumed, {lost} changes never seen ({lostLastStates} objects' last state), "
            + $"{repeated} repeated, {outOfOrder} out of order{recovery}{(complete ? string.Empty : " (INCOMPLETE after 180 s)")}");
    }

    private static Process StartWatcher(FakeKubernetesApiServer api, RabbitMqFixture broker, string identity) =>
        WatcherProcess.Start(api, broker, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Watcher__LeaderElection__Identity"] = identity,
            ["Watcher__LeaderElection__LeaseNamespace"] = "lookout",
            ["Watcher__StateSaveInterval"] = "00:00:00.500",
        }, "  watcher: ");

    private static IHost ConsumerHost(RabbitMqFixture broker, FaultSink sink)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bus:RabbitMq:Url"] = broker.Url });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(sink);
        // The consumers as the services register theirs (partitioned, in order per object), on fresh queues per experiment.
        string run = Guid.NewGuid().ToString("N");
        builder.Services.AddLookoutBus(builder.Configuration, bus =>
        {
            bus.AddOrderedConsumer<FaultChangeConsumer, ApplicationChanged>("fault-changes-" + run);
            bus.AddOrderedConsumer<FaultDeletionConsumer, ObjectDeleted>("fault-deletions-" + run);
        });
        return builder.Build();
    }

    private sealed class Experiment(FakeKubernetesApiServer api)
    {
        private static TaskCompletionSource CompletedSource()
        {
            var source = new TaskCompletionSource();
            source.SetResult();
            return source;
        }

        public FakeKubernetesApiServer Api { get; } = api;

        public Process? Watcher { get; set; }

        public ConcurrentBag<string> Deleted { get; } = [];

        public TaskCompletionSource ChangesMayStart { get; set; } = CompletedSource();

        public long? BrokerStarting { get; set; }

        public long? BrokerBack { get; set; }

        public long? Restarted { get; set; }
    }
}

/// <summary>What the fault driver's consumer received, in arrival order.</summary>
public sealed class FaultSink
{
    private readonly ConcurrentQueue<Received> received = new();

    public Received[] All => [.. received];

    public void Add(Received r) => received.Enqueue(r);

    public async Task<bool> WaitAsync(Func<Received[], bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (done(All))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public sealed record Received(Guid MessageId, string Name, int Version, bool Resync, bool Deleted, long At);
}

/// <summary>Records Application changes.</summary>
public sealed class FaultChangeConsumer(FaultSink sink) : IConsumer<ApplicationChanged>
{
    public Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string health = context.Message.Summary.HealthStatus ?? "H-1";
        int version = int.TryParse(health.AsSpan(1), CultureInfo.InvariantCulture, out int v) ? v : -1;
        sink.Add(new FaultSink.Received(context.MessageId ?? Guid.Empty, context.Message.Object.Name, version, context.Message.IsResync, false, Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }
}

/// <summary>Records deletions.</summary>
public sealed class FaultDeletionConsumer(FaultSink sink) : IConsumer<ObjectDeleted>
{
    public Task Consume(ConsumeContext<ObjectDeleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        sink.Add(new FaultSink.Received(context.MessageId ?? Guid.Empty, context.Message.Object.Name, -1, false, true, Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }
}
