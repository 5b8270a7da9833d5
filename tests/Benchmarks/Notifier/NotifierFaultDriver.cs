using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Lookout.Testing.Http;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using Lookout.Testing.Smtp;

namespace Lookout.Benchmarks.Notifier;

/// <summary>
/// The notifier under faults (issue 17's fault figures): subscribed Applications run sync/health cycles at a steady
/// rate into the real notifier executable (cluster mode on the fake Kubernetes API, a private RabbitMQ), which
/// delivers to a local webhook receiver (four triggers), a local Slack API (on-deployed, a channel per Application)
/// and a real SMTP server (on-health-degraded). Each run prints the notifications expected, sent (arrived at least
/// once), lost, repeated (arrived more than once) and the dead letters.
/// <c>benchmarks notifier-faults [apps=1000] [cycles=2] [rate=100] [slack429=60] [smtpdown=30] [only=clean,kill,kill-durable,broker,slack,smtp,replicas]</c>.
/// </summary>
public static class NotifierFaultDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Arg(string name) => args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        int Int(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new Settings(Int("apps", 1000), Int("cycles", 2), Int("rate", 100), Int("slack429", 60), Int("smtpdown", 30));
        string[] only = Arg("only")?.Split(',') ?? ["clean", "kill", "kill-durable", "broker", "slack", "smtp", "replicas"];
        var broker = new RabbitMqFixture();
        if (broker.MissingReason is not null)
        {
            Console.Error.WriteLine(broker.MissingReason);
            return 2;
        }

        Console.WriteLine($"notifier faults: {settings.Apps:N0} Applications × {settings.Cycles} cycles × {NotifierFleet.StepsPerCycle} states at {settings.Rate} events/s; "
            + $"6 notifications per Application and cycle (4 webhook, 1 Slack, 1 email)");
        await broker.InitializeAsync();
        var smtp = new SmtpFixture();
        await smtp.InitializeAsync();
        try
        {
            await using FleetPublisher publisher = await FleetPublisher.StartAsync(broker);
            var world = new World(broker, smtp, publisher, settings);
            if (only.Contains("clean"))
            {
                await world.RunAsync("clean", 1, async _ => await Task.CompletedTask);
            }

            if (only.Contains("kill"))
            {
                await world.RunAsync("notifier kill -9 ×3 (restarted at once)", 1, async x =>
                {
                    foreach (double at in new[] { 0.25, 0.5, 0.75 })
                    {
                        await x.ProgressAsync(at);
                        NotifierProcess killed = x.Notifiers[^1];
                        await killed.KillAsync();
                        x.Notifiers.Add(NotifierProcess.Start(x.Api, broker, "  notifier: "));
                        x.Note($"killed at {at:P0}");
                    }
                });
            }

            if (only.Contains("kill-durable"))
            {
                // The same with Notifier:DataDirectory kept across the restarts (a volume, or an emptyDir that survives a
                // container's restart in its pod): the sent ledger outlives the process.
                string data = Directory.CreateTempSubdirectory("lookout-notifier-data-").FullName;
                var durable = new Dictionary<string, string>(StringComparer.Ordinal) { ["Notifier__DataDirectory"] = data };
                await world.RunAsync("notifier kill -9 ×3 with a data directory kept across restarts", 1, async x =>
                {
                    foreach (double at in new[] { 0.25, 0.5, 0.75 })
                    {
                        await x.ProgressAsync(at);
                        await x.Notifiers[^1].KillAsync();
                        x.Notifiers.Add(NotifierProcess.Start(x.Api, broker, "  notifier: ", durable));
                        x.Note($"killed at {at:P0}");
                    }
                }, durable);
                Directory.Delete(data, recursive: true);
            }

            if (only.Contains("broker"))
            {
                await world.RunAsync("broker restart", 1, async x =>
                {
                    await x.ProgressAsync(0.4);
                    var clock = Stopwatch.StartNew();
                    await broker.StopAsync();
                    await broker.StartAsync();
                    x.Note($"broker down {clock.Elapsed.TotalSeconds:F0} s");
                });
            }

            if (only.Contains("slack"))
            {
                await world.RunAsync($"Slack 429 (Retry-After: 1) to a third of requests for {settings.Slack429} s", 1, async x =>
                {
                    await x.ProgressAsync(0.1);
                    x.SlackLimitedUntil = Stopwatch.GetTimestamp() + (long)(settings.Slack429 * Stopwatch.Frequency);
                    await Task.Delay(TimeSpan.FromSeconds(settings.Slack429));
                    x.Note($"{x.SlackLimited} requests answered 429");
                });
            }

            if (only.Contains("smtp"))
            {
                await world.RunAsync($"SMTP down {settings.SmtpDown} s", 1, async x =>
                {
                    await x.ProgressAsync(0.2);
                    await smtp.StopAsync();
                    await Task.Delay(TimeSpan.FromSeconds(settings.SmtpDown));
                    await smtp.StartAsync();
                });
            }

            if (only.Contains("replicas"))
            {
                await world.RunAsync("two replicas, one killed", 2, async x =>
                {
                    await x.ProgressAsync(0.5);
                    await x.Notifiers[0].KillAsync();
                    x.Note("the first replica killed at 50%");
                });
            }
        }
        finally
        {
            await smtp.DisposeAsync();
            await broker.DisposeAsync();
        }

        return 0;
    }

    private sealed record Settings(int Apps, int Cycles, int Rate, int Slack429, int SmtpDown);

    private sealed class World(RabbitMqFixture broker, SmtpFixture smtp, FleetPublisher publisher, Settings settings)
    {
        private int runs;

        public async Task RunAsync(string name, int replicas, Func<Experiment, Task> fault, IReadOnlyDictionary<string, string>? notifierSettings = null)
        {
            Console.WriteLine($"— {name}");
            await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
            await using HttpReceiver webhook = await HttpReceiver.StartAsync();
            await using HttpReceiver slack = await HttpReceiver.StartAsync();
            var fleet = new NotifierFleet(api, $"f{++runs}", settings.Apps, slackAndEmail: true);
            fleet.Seed(new Destinations(webhook.BaseAddress, slack.SlackApiUrl, smtp.Port));
            var deliveries = new Deliveries();
            var x = new Experiment(api, fleet.Count * settings.Cycles * NotifierFleet.StepsPerCycle);
            webhook.Responder = r =>
            {
                deliveries.Record("webhook", r.Body, Stopwatch.GetTimestamp());
                return null;
            };
            slack.Responder = r =>
            {
                long now = Stopwatch.GetTimestamp();
                if (now < x.SlackLimitedUntil && Interlocked.Increment(ref x.SlackRequestsWhileLimited) % 3 == 0)
                {
                    Interlocked.Increment(ref x.SlackLimited);
                    return new ScriptedReply(429, "{\"ok\":false,\"error\":\"ratelimited\"}", RetryAfter: "1");
                }

                deliveries.Record("slack", r.Body, now);
                return null;
            };
            for (int i = 0; i < replicas; i++)
            {
                x.Notifiers.Add(NotifierProcess.Start(api, broker, replicas > 1 ? $"  notifier {i + 1}: " : "  notifier: ", notifierSettings));
                await x.Notifiers[^1].WaitReadyAsync(TimeSpan.FromMinutes(2));
            }

            string[] expected = [.. fleet.Expected(settings.Cycles)];
            var clock = Stopwatch.StartNew();
            try
            {
                Task faulting = fault(x);
                await PacedLoop.RunAsync(fleet, publisher, 1, settings.Cycles, settings.Rate, x.Published);
                await faulting;
                TimeSpan published = clock.Elapsed;

                // Everything expected, or up to three minutes more; then a quiet period for repeats still on their way.
                var wait = Stopwatch.StartNew();
                Dictionary<string, int> mail = [];
                while (wait.Elapsed < TimeSpan.FromMinutes(3))
                {
                    mail = Mail(smtp, fleet);
                    if (expected.All(k => deliveries.Counts.ContainsKey(k) || mail.ContainsKey(k)))
                    {
                        break;
                    }

                    await Task.Delay(1000);
                }

                TimeSpan complete = clock.Elapsed;
                await Task.Delay(3000);
                mail = Mail(smtp, fleet);
                var counts = new Dictionary<string, int>(deliveries.Counts, StringComparer.Ordinal);
                foreach ((string key, int n) in mail)
                {
                    counts[key] = n;
                }

                var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
                int sent = expected.Count(counts.ContainsKey);
                int lost = expected.Length - sent;
                string repeats = string.Join(", ", new[] { "webhook", "slack", "email" }.Select(s => $"{s} {counts.Where(kv => kv.Key.StartsWith(s + " ", StringComparison.Ordinal)).Sum(kv => kv.Value - 1)}"));
                int repeated = counts.Values.Sum(n => n - 1);
                int unexpected = counts.Keys.Count(k => !expectedSet.Contains(k));
                int dead = 0;
                foreach (NotifierProcess n in x.Notifiers)
                {
                    (int count, string[] reasons) = await n.DeadLettersAsync();
                    dead += count;
                    if (count > 0)
                    {
                        x.Note($"dead letters: {string.Join(" | ", reasons)}");
                    }
                }

                Console.WriteLine($"{name}: expected {expected.Length:N0}, sent {sent:N0}, lost {lost:N0}, repeated {repeated:N0} ({repeats}), unexpected {unexpected}, dead letters {dead}; "
                    + $"published in {published.TotalSeconds:F0} s, all delivered after {complete.TotalSeconds:F0} s{(x.Notes.Count > 0 ? "; " + string.Join("; ", x.Notes) : string.Empty)}");
                foreach (string key in expected.Where(k => !counts.ContainsKey(k)).Take(5))
                {
                    Console.WriteLine($"  lost: {key}");
                }

                foreach ((string key, int n) in counts.Where(kv => kv.Value > 1).Take(5))
                {
                    Console.WriteLine($"  repeated: {key} ×{n}");
                }
            }
            finally
            {
                foreach (NotifierProcess n in x.Notifiers)
                {
                    n.Dispose();
                }
            }
        }

        private static Dictionary<string, int> Mail(SmtpFixture smtp, NotifierFleet fleet)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string message in smtp.Messages())
            {
                foreach ((string key, string app, _, _, _) in NotifierFleet.Keys("email", message))
                {
                    if (fleet.IndexOf(app) >= 0)
                    {
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }
                }
            }

            return counts;
        }
    }

    private sealed class Experiment(FakeKubernetesApiServer api, int events)
    {
        public FakeKubernetesApiServer Api { get; } = api;

        public List<NotifierProcess> Notifiers { get; } = [];

        public StrongBox<int> Published { get; } = new();

        public List<string> Notes { get; } = [];

#pragma warning disable CA1051 // counters updated with Interlocked
        public long SlackLimitedUntil;
        public int SlackRequestsWhileLimited;
        public int SlackLimited;
#pragma warning restore CA1051

        public void Note(string note)
        {
            lock (Notes)
            {
                Notes.Add(note);
            }
        }

        /// <summary>Waits until this share of the run's events was published.</summary>
        public async Task ProgressAsync(double share)
        {
            while (Volatile.Read(ref Published.Value) < share * events)
            {
                await Task.Delay(50);
            }
        }
    }
}
