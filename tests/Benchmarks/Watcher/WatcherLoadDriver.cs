using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Benchmarks.Watcher;

/// <summary>
/// End-to-end throughput of the watcher: a fake API server holding N Applications, then M updates, read by the real
/// watcher executable (a separate process, so its peak memory is its own) and published onto a private RabbitMQ;
/// a consumer in this process measures events/s and latency from the update to its consumption. The same run
/// measures raw MassTransit publish throughput (confirms on, 1,000 in flight) on the same broker.
/// </summary>
public static class WatcherLoadDriver
{
    private const string Apps = "applications";
    private const string SentAnnotation = "bench.lookout.dev/sent";

    public static async Task<int> RunAsync(string[] args)
    {
        int objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        int updates = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var broker = new RabbitMqFixture();
        if (broker.MissingReason is not null)
        {
            Console.Error.WriteLine(broker.MissingReason);
            return 2;
        }

        Console.WriteLine("starting a private RabbitMQ node…");
        await broker.InitializeAsync();
        try
        {
            await RawMassTransitAsync(broker, 5_000, "bench-warmup"); // JIT and broker warm-up, not reported
            double raw = await RawMassTransitAsync(broker, updates, "bench-raw");
            Console.WriteLine($"raw MassTransit publish (confirms on, 1,000 in flight, end to end): {raw:F0} msg/s");
            (double rate, double p50, double p95, double p99, double initial, long peakKb) = await WatcherAsync(broker, objects, updates);
            Console.WriteLine($"watcher initial list of {objects:N0}: {initial:F0} events/s");
            Console.WriteLine($"watcher {updates:N0} updates: {rate:F0} events/s ({rate / raw:P0} of raw MassTransit)");
            Console.WriteLine($"latency update→consumed: p50 {p50:F1} ms, p95 {p95:F1} ms, p99 {p99:F1} ms");
            Console.WriteLine($"watcher peak memory (VmHWM): {peakKb / 1024.0:F0} MiB");
        }
        finally
        {
            await broker.DisposeAsync();
        }

        return 0;
    }

    private static JsonObject Application(int i, int version) => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"app-{i:D5}",
            ["namespace"] = "argocd",
            ["labels"] = new JsonObject { ["team"] = $"team-{i % 20}" },
            ["annotations"] = new JsonObject
            {
                ["notifications.argoproj.io/subscribe.on-deployed.slack"] = "deployments",
                [SentAnnotation] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture),
            },
        },
        ["spec"] = new JsonObject
        {
            ["project"] = "default",
            ["source"] = new JsonObject { ["repoURL"] = "https://git.example.com/devops/ops-deploy", ["path"] = $"apps/app-{i}", ["targetRevision"] = "HEAD" },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = $"ns-{i % 50}" },
        },
        ["status"] = new JsonObject
        {
            ["sync"] = new JsonObject { ["status"] = version % 2 == 0 ? "Synced" : "OutOfSync", ["revision"] = $"{version:x40}" },
            ["health"] = new JsonObject { ["status"] = "Healthy" },
            ["operationState"] = new JsonObject { ["phase"] = "Succeeded", ["startedAt"] = "2026-11-24T10:00:00Z", ["finishedAt"] = "2026-11-24T10:00:30Z" },
            ["reconciledAt"] = "2026-11-24T10:00:30Z",
        },
    };

    private static async Task<double> RawMassTransitAsync(RabbitMqFixture broker, int count, string queue)
    {
        using var consumed = new CountdownEvent(count);
        using IHost host = ConsumerHost(broker, queue, (_, _) => consumed.Signal());
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        IBus bus = host.Services.GetRequiredService<IBus>();
        JsonElement body = JsonSerializer.SerializeToElement(Application(1, 1));
        using var inFlight = new SemaphoreSlim(1000);
        var stopwatch = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await inFlight.WaitAsync();
            var message = new ApplicationChanged
            {
                Object = new ObjectIdentity("bench", "argocd", "app-1", "uid-1"),
                ResourceVersion = i.ToString(CultureInfo.InvariantCulture),
                ObservedAt = DateTimeOffset.UtcNow,
                Body = body,
                Summary = new ApplicationSummary("Synced", "Healthy", "Succeeded", "abc", false),
            };
            tasks.Add(bus.Publish(message).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(tasks);
        consumed.Wait(TimeSpan.FromMinutes(5));
        double rate = count / stopwatch.Elapsed.TotalSeconds;
        await host.StopAsync();
        return rate;
    }

    private static async Task<(double Rate, double P50, double P95, double P99, double Initial, long PeakKb)> WatcherAsync(RabbitMqFixture broker, int objects, int updates)
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        for (int i = 0; i < objects; i++)
        {
            api.Upsert(Apps, Application(i, 0));
        }

        var latencies = new ConcurrentBag<double>();
        int received = 0;
        var initialDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IHost consumer = ConsumerHost(broker, "bench-watcher", (m, now) =>
        {
            int n = Interlocked.Increment(ref received);
            if (!m.IsResync && long.TryParse(m.Body.GetProperty("metadata").GetProperty("annotations").GetProperty(SentAnnotation).GetString(), CultureInfo.InvariantCulture, out long sent))
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }

            if (n == objects)
            {
                initialDone.TrySetResult();
            }

            if (n == objects + updates)
            {
                allDone.TrySetResult();
            }
        });
        await consumer.StartAsync();
        await consumer.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));

        using Process watcher = StartWatcher(api, broker);
        long peakKb = 0;
        using var sampling = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakKb = Math.Max(peakKb, PeakRssKb(watcher));
                await Task.Delay(200);
            }
        });

        var initial = Stopwatch.StartNew();
        await initialDone.Task.WaitAsync(TimeSpan.FromMinutes(10));
        double initialRate = objects / initial.Elapsed.TotalSeconds;

        var stopwatch = Stopwatch.StartNew();
        for (int u = 0; u < updates; u++)
        {
            api.Upsert(Apps, Application(u % objects, u + 1));
        }

        await allDone.Task.WaitAsync(TimeSpan.FromMinutes(20));
        double rate = updates / stopwatch.Elapsed.TotalSeconds;
        peakKb = Math.Max(peakKb, PeakRssKb(watcher));
        await sampling.CancelAsync();
        await sampler;
        watcher.Refresh();
        Console.WriteLine($"CPU time: watcher {watcher.TotalProcessorTime.TotalSeconds:F1} s, driver (fake API + consumer) {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, over {stopwatch.Elapsed.TotalSeconds + initial.Elapsed.TotalSeconds:F1} s of load");
        watcher.Kill(entireProcessTree: true);
        await watcher.WaitForExitAsync();
        await consumer.StopAsync();

        double[] sorted = [.. latencies.Order()];
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return (rate, Percentile(0.50), Percentile(0.95), Percentile(0.99), initialRate, peakKb);
    }

    private static Process StartWatcher(FakeKubernetesApiServer api, RabbitMqFixture broker)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Watcher__LeaderElection__Enabled"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (string key in new[] { "Publisher__Lanes", "Publisher__BufferCapacity" })
        {
            if (Environment.GetEnvironmentVariable(key) is { } value)
            {
                settings[key] = value;
            }
        }

        return WatcherProcess.Start(api, broker, settings, "watcher: ");
    }

    private static long PeakRssKb(Process process)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static IHost ConsumerHost(RabbitMqFixture broker, string queue, Action<ApplicationChanged, long> onMessage)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(new CountingConsumer.Callback(onMessage));
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<CountingConsumer>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                LookoutBus.ConfigureHost(cfg, new RabbitMqOptions { Url = broker.Url });
                cfg.ReceiveEndpoint(queue, e =>
                {
                    // Deleted with its consumer, so a finished phase's queue does not keep collecting later phases' messages.
                    e.AutoDelete = true;
                    e.PrefetchCount = 1000;
                    e.ConcurrentMessageLimit = 64;
                    e.ConfigureConsumer<CountingConsumer>(context);
                });
            });
        });
        return builder.Build();
    }
}

/// <summary>Counts what arrives and hands it to the driver.</summary>
public sealed class CountingConsumer(CountingConsumer.Callback callback) : IConsumer<ApplicationChanged>
{
    public Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        callback.OnMessage(context.Message, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }

    /// <summary>The driver's callback, registered as a singleton.</summary>
    public sealed record Callback(Action<ApplicationChanged, long> OnMessage);
}
