using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Hosting;
using Lookout.Testing.Http;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Benchmarks.Notifier;

/// <summary>
/// The notifier's throughput, latency and memory (issue 17's benchmark), end to end: Applications in the fake
/// Kubernetes API run sync/health cycles; each state is published as the watcher would publish it, onto a private
/// RabbitMQ, and the real notifier executable (its own process, cluster mode: ConfigMap, Secret and state
/// annotations in the fake API) evaluates Argo CD's catalog triggers, renders the catalog's templates and delivers to a
/// local webhook receiver. <c>benchmarks notifier [apps=1000] [cycles=3] [latency-cycles=2] [memory-apps=10000]
/// [replay-cycles=3]</c> (0 skips a phase).
/// </summary>
public static class NotifierLoadDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) =>
            args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal)) is { } a ? int.Parse(a[(name.Length + 1)..], CultureInfo.InvariantCulture) : fallback;
        int apps = Arg("apps", 1000);
        int cycles = Arg("cycles", 3);
        int latencyCycles = Arg("latency-cycles", 2);
        int memoryApps = Arg("memory-apps", 10_000);
        int replayCycles = Arg("replay-cycles", 3);
        int partitions = Arg("partitions", new BusOptions().Partitions);
        var bus = new Dictionary<string, string>(StringComparer.Ordinal) { ["Bus__Partitions"] = partitions.ToString(CultureInfo.InvariantCulture) };

        var broker = new RabbitMqFixture();
        if (broker.MissingReason is not null)
        {
            Console.Error.WriteLine(broker.MissingReason);
            return 2;
        }

        Console.WriteLine($"notifier load: {apps:N0} Applications, {cycles} timed cycles of {NotifierFleet.StepsPerCycle} states (after one warm-up cycle), Bus:Partitions {partitions}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("starting a private RabbitMQ node…");
        await broker.InitializeAsync();
        await using HttpReceiver webhook = await HttpReceiver.StartAsync();
        var deliveries = new Deliveries();
        webhook.Responder = r =>
        {
            deliveries.Record("webhook", r.Body, Stopwatch.GetTimestamp());
            return null;
        };
        var to = new Destinations(webhook.BaseAddress);
        try
        {
            await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
            await using FleetPublisher publisher = await FleetPublisher.StartAsync(broker);

            // The yardstick: the same backlogs of the same events, consumed by a consumer that only counts.
            var rawFleet = new NotifierFleet(api, "raw", apps, slackAndEmail: false);
            rawFleet.Seed(to);
            var gate = new RawConsumer.Gate();
            TimeSpan rawTook = TimeSpan.Zero;
            using (IHost rawHost = RawConsumer.Host(broker, gate, partitions))
            {
                await rawHost.StartAsync();
                await rawHost.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
                for (int c = 1; c <= cycles; c++)
                {
                    for (int s = 0; s < NotifierFleet.StepsPerCycle; s++)
                    {
                        gate.Open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        int target = gate.Consumed + apps;
                        await Backlog.PublishAsync(rawFleet, publisher, c, s);
                        TimeSpan took = await Backlog.DrainAsync(() => { gate.Open.TrySetResult(); return Task.CompletedTask; }, () => Volatile.Read(ref gate.Consumed), target, TimeSpan.FromMinutes(5));
                        if (c > 1 || cycles == 1)
                        {
                            rawTook += took;
                        }
                    }
                }

                await rawHost.StopAsync();
            }

            int rawEvents = apps * NotifierFleet.StepsPerCycle * Math.Max(1, cycles - 1);
            double raw = rawEvents / rawTook.TotalSeconds;
            Console.WriteLine($"raw MassTransit consume (ordered consumer, same partitions, same events, backlogs of {apps:N0}): {rawEvents:N0} events in {rawTook.TotalSeconds:F2} s = {raw:F0} events/s");
            await RawConsumer.DeleteQueuesAsync(broker, partitions);
            api.Compact();

            var fleet = new NotifierFleet(api, "load", apps, slackAndEmail: false);
            fleet.Seed(to);
            using NotifierProcess notifier = NotifierProcess.Start(api, broker, "  notifier: ", bus);
            await notifier.WaitReadyAsync(TimeSpan.FromMinutes(2));
            long peakKb = 0;
            using var sampling = new CancellationTokenSource();
            Task sampler = Sample(notifier, v => peakKb = Math.Max(peakKb, v), sampling.Token);

            var warmUp = new ClosedLoop(fleet, 1, 1, fleet.NotificationsOf);
            deliveries.OnFirstArrival = warmUp.Arrived;
            TimeSpan warmTook = await warmUp.RunAsync(publisher, TimeSpan.FromMinutes(10));
            Console.WriteLine($"notifier warm-up cycle: {warmUp.Events:N0} events in {warmTook.TotalSeconds:F1} s");

            // Backlogs of one state of every Application, published while the notifier is stopped (SIGSTOP), timed from SIGCONT.
            deliveries.OnFirstArrival = null;
            TimeSpan cpuBefore = CpuOf(notifier);
            TimeSpan took2 = TimeSpan.Zero;
            for (int c = 2; c < 2 + cycles; c++)
            {
                for (int s = 0; s < NotifierFleet.StepsPerCycle; s++)
                {
                    int target = deliveries.Arrivals + (apps * fleet.NotificationsOf(s));
                    await Backlog.SignalAsync(notifier.Process, "STOP");
                    await Backlog.PublishAsync(fleet, publisher, c, s);
                    took2 += await Backlog.DrainAsync(() => Backlog.SignalAsync(notifier.Process, "CONT"), () => deliveries.Arrivals, target, TimeSpan.FromMinutes(5));
                }
            }

            TimeSpan cpu = CpuOf(notifier) - cpuBefore;
            int events = apps * NotifierFleet.StepsPerCycle * cycles;
            double notifierRate = events / took2.TotalSeconds;
            int notifications = Enumerable.Range(0, NotifierFleet.StepsPerCycle).Sum(fleet.NotificationsOf) * apps * cycles;
            Console.WriteLine($"notifier: {events:N0} events ({notifications:N0} webhook deliveries) in {took2.TotalSeconds:F2} s = {notifierRate:F0} events/s, "
                + $"{notifierRate / raw:P0} of raw MassTransit ({raw:F0} events/s); notifier CPU {cpu.TotalSeconds:F1} s ({cpu.TotalMilliseconds / events:F2} ms per event)");
            api.Compact();

            if (latencyCycles > 0)
            {
                double rate = notifierRate / 2;
                deliveries.OnFirstArrival = null;
                deliveries.ClearLatencies();
                deliveries.MeasureFrom = Stopwatch.GetTimestamp();
                int expected = deliveries.Received + (Enumerable.Range(0, NotifierFleet.StepsPerCycle).Sum(fleet.NotificationsOf) * apps * latencyCycles);
                var clock = Stopwatch.StartNew();
                await PacedLoop.RunAsync(fleet, publisher, 2 + cycles, latencyCycles, rate, new StrongBox<int>());
                await webhook.WaitForRequestsAsync(expected, TimeSpan.FromMinutes(5));
                double[] latencies = deliveries.Latencies;
                Console.WriteLine($"latency at half that rate ({rate:F0} events/s for {clock.Elapsed.TotalSeconds:F0} s, {latencies.Length:N0} deliveries), state written→webhook received: "
                    + $"p50 {Deliveries.Percentile(latencies, 0.50):F1} ms, p90 {Deliveries.Percentile(latencies, 0.90):F1} ms, p99 {Deliveries.Percentile(latencies, 0.99):F1} ms, max {latencies.DefaultIfEmpty().Max():F1} ms");
                api.Compact();
            }

            await sampling.CancelAsync();
            await sampler;
            peakKb = Math.Max(peakKb, notifier.PeakRssKb());
            Console.WriteLine($"notifier peak memory (VmHWM) with {apps:N0} Applications: {peakKb / 1024.0:F0} MiB");
            await notifier.KillAsync();

            if (memoryApps > 0)
            {
                await MemoryAsync(api, broker, publisher, memoryApps, to, deliveries, bus);
            }
        }
        finally
        {
            await broker.DisposeAsync();
        }

        if (replayCycles > 0)
        {
            await ReplayAsync(apps, replayCycles, to);
        }

        return 0;
    }

    private static async Task MemoryAsync(FakeKubernetesApiServer api, RabbitMqFixture broker, FleetPublisher publisher, int apps, Destinations to, Deliveries deliveries, Dictionary<string, string> bus)
    {
        var fleet = new NotifierFleet(api, "mem", apps, slackAndEmail: false);
        fleet.Seed(to);
        api.Compact();
        using NotifierProcess notifier = NotifierProcess.Start(api, broker, "  notifier: ", bus);
        await notifier.WaitReadyAsync(TimeSpan.FromMinutes(2));
        long peakKb = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Sample(notifier, v => peakKb = Math.Max(peakKb, v), sampling.Token);
        var loop = new ClosedLoop(fleet, 1, 1, fleet.NotificationsOf);
        deliveries.OnFirstArrival = loop.Arrived;
        TimeSpan took = await loop.RunAsync(publisher, TimeSpan.FromMinutes(20));
        await sampling.CancelAsync();
        await sampler;
        peakKb = Math.Max(peakKb, notifier.PeakRssKb());
        Console.WriteLine($"notifier with {apps:N0} Applications (one cycle, {loop.Events:N0} events in {took.TotalSeconds:F1} s = {loop.Events / took.TotalSeconds:F0} events/s): peak memory (VmHWM) {peakKb / 1024.0:F0} MiB");
        await notifier.KillAsync();
    }

    /// <summary><c>notifier replay</c> over the fleet's watch events, pinned to one core; the start-up measured apart on one event.</summary>
    private static async Task ReplayAsync(int apps, int cycles, Destinations to)
    {
        string folder = Directory.CreateTempSubdirectory("lookout-replay-bench-").FullName;
        try
        {
            string config = Path.Combine(folder, "cm.json");
            await File.WriteAllTextAsync(config, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-cm", ["namespace"] = NotifierFleet.Namespace },
                ["data"] = NotifierFleet.ConfigMapData(to),
            }.ToJsonString());
            string events = Path.Combine(folder, "events.jsonl");
            string one = Path.Combine(folder, "one.jsonl");
            var fleet = new NotifierFleet(null!, "replay", apps, slackAndEmail: false);
            var objects = Enumerable.Range(0, apps).Select(fleet.Initial).ToArray();
            long rv = 1000;
            int count = 0;
            await using (var writer = new StreamWriter(events))
            {
                for (int c = 1; c <= cycles; c++)
                {
                    for (int s = 0; s < NotifierFleet.StepsPerCycle; s++)
                    {
                        for (int i = 0; i < apps; i++)
                        {
                            JsonObject app = objects[i];
                            NotifierFleet.ApplyStep(app, c, s, 0);
                            app["metadata"]!["uid"] = $"uid-replay-{i}";
                            app["metadata"]!["resourceVersion"] = (++rv).ToString(CultureInfo.InvariantCulture);
                            string line = new JsonObject { ["type"] = "MODIFIED", ["object"] = app.DeepClone() }.ToJsonString();
                            await writer.WriteLineAsync(line);
                            if (count++ == 0)
                            {
                                await File.WriteAllTextAsync(one, line + "\n");
                            }
                        }
                    }
                }
            }

            (TimeSpan startUp, int _) = await RunReplay(config, one);
            (TimeSpan all, int lines) = await RunReplay(config, events);
            double net = count / (all - startUp).TotalSeconds;
            Console.WriteLine($"notifier replay on one core (taskset -c 0): {count:N0} events, {lines:N0} notifications in {all.TotalSeconds:F1} s = {count / all.TotalSeconds:F0} events/s; "
                + $"{net:F0} events/s without the start-up ({startUp.TotalSeconds:F1} s for one event)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(TimeSpan Took, int Lines)> RunReplay(string config, string events)
    {
        var start = new ProcessStartInfo("taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-c", "0", "dotnet", Path.Combine(AppContext.BaseDirectory, "notifier.dll"), "replay", "--config", config, events })
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start notifier replay");
        int lines = 0;
        Task errors = process.StandardError.ReadToEndAsync().ContinueWith(t => { if (t.Result.Length > 0) { Console.WriteLine("  replay stderr: " + t.Result.Trim()[..Math.Min(500, t.Result.Trim().Length)]); } }, TaskScheduler.Default);
        while (await process.StandardOutput.ReadLineAsync() is not null)
        {
            lines++;
        }

        await process.WaitForExitAsync();
        TimeSpan took = clock.Elapsed;
        await errors;
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"  replay exited with {process.ExitCode}");
        }

        return (took, lines);
    }

    private static TimeSpan CpuOf(NotifierProcess notifier)
    {
        notifier.Process.Refresh();
        return notifier.Process.TotalProcessorTime;
    }

    private static async Task Sample(NotifierProcess notifier, Action<long> peak, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            peak(notifier.PeakRssKb());
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
