using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using YamlDotNet.Serialization;

namespace Lookout.Benchmarks.Notifier;

/// <summary>Where the fleet's notifications go: the webhook receiver always; Slack and email in the fault runs.</summary>
internal sealed record Destinations(Uri Webhook, string? SlackApiUrl = null, int? SmtpPort = null);

/// <summary>
/// The drivers' Applications: each runs sync/health cycles that Argo CD's catalog triggers notice, three states per
/// cycle, each state yielding at least one notification:
/// <list type="number">
/// <item>sync Running on a new revision: <c>on-sync-running</c>;</item>
/// <item>sync Succeeded, Synced and Healthy: <c>on-sync-succeeded</c> and <c>on-deployed</c> (and Slack's on-deployed);</item>
/// <item>health Degraded: <c>on-health-degraded</c> (and the email).</item>
/// </list>
/// Every trigger of the catalog is subscribed or evaluated; each rendered message starts with a line
/// <c>bench-key app template cycle sent</c> (sent: the driver's Stopwatch timestamp when the state was written), so
/// the receivers can tell which notification arrived, how often, and how late.
/// </summary>
internal sealed partial class NotifierFleet(FakeKubernetesApiServer api, string prefix, int count, bool slackAndEmail)
{
    public const string Plural = "applications";
    public const string Namespace = "argocd";
    public const int StepsPerCycle = 3;
    private const string CycleAnnotation = "bench.lookout.dev/cycle";
    private const string SentAnnotation = "bench.lookout.dev/sent";
    private const string StepAnnotation = "bench.lookout.dev/step";
    private static readonly DateTimeOffset Epoch = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] WebhookTriggers = ["on-sync-running", "on-sync-succeeded", "on-deployed", "on-health-degraded", "on-sync-failed", "on-sync-status-unknown"];

    // Template → the step of a cycle that sends it.
    private static readonly Dictionary<string, int> StepOf = new(StringComparer.Ordinal)
    {
        ["app-sync-running"] = 0,
        ["app-sync-succeeded"] = 1,
        ["app-deployed"] = 1,
        ["app-health-degraded"] = 2,
    };

    public FakeKubernetesApiServer Api => api;

    public int Count => count;

    public string Name(int i) => $"{prefix}-app-{i:D5}";

    /// <summary>The index of one of this fleet's Applications, or -1.</summary>
    public int IndexOf(string name) =>
        name.Length == prefix.Length + 10 && name.StartsWith(prefix + "-app-", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(prefix.Length + 5), NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < count ? i : -1;

    /// <summary>Notifications one step sends (webhook; plus Slack and email in the fault runs).</summary>
    public int NotificationsOf(int step) => step switch
    {
        0 => 1,
        1 => slackAndEmail ? 3 : 2,
        _ => slackAndEmail ? 2 : 1,
    };

    /// <summary>Every notification a run of <paramref name="cycles"/> cycles must deliver, as receiver keys.</summary>
    public IEnumerable<string> Expected(int cycles)
    {
        for (int i = 0; i < count; i++)
        {
            for (int c = 1; c <= cycles; c++)
            {
                foreach (string template in StepOf.Keys)
                {
                    yield return Key("webhook", Name(i), template, c);
                }

                if (slackAndEmail)
                {
                    yield return Key("slack", Name(i), "app-deployed", c);
                    yield return Key("email", Name(i), "app-health-degraded", c);
                }
            }
        }
    }

    public static string Key(string service, string app, string template, int cycle) => $"{service} {app} {template} {cycle}";

    /// <summary>Stores the ConfigMap, the Secret and the Applications (their initial state, before any cycle).</summary>
    public void Seed(Destinations to)
    {
        api.Upsert("configmaps", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-cm", ["namespace"] = Namespace },
            ["data"] = ConfigMapData(to),
        });
        api.Upsert("secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-secret", ["namespace"] = Namespace },
            ["data"] = new JsonObject { ["slack-token"] = Convert.ToBase64String("xoxb-bench"u8.ToArray()) },
        });
        for (int i = 0; i < count; i++)
        {
            api.Upsert(Plural, Initial(i));
        }
    }

    /// <summary>
    /// The ConfigMap's data: the services, and the four catalog templates the cycles send, each with the key line
    /// first in its message and a <c>webhook.receiver</c> section (the catalog's templates have none); the catalog's
    /// triggers stay as they are.
    /// </summary>
    public static JsonObject ConfigMapData(Destinations to)
    {
        var data = new JsonObject
        {
            ["service.webhook.receiver"] = $"url: {to.Webhook.ToString().TrimEnd('/')}\n",
            ["context"] = "argocdUrl: https://argocd.example.com\n",
        };
        if (to.SlackApiUrl is not null)
        {
            data["service.slack"] = $"token: $slack-token\napiURL: {to.SlackApiUrl}\n";
        }

        if (to.SmtpPort is { } port)
        {
            data["service.email"] = $"host: 127.0.0.1\nport: {port}\nfrom: lookout@example.com\nsecurity: none\n";
        }

        Dictionary<string, string> catalog = Catalog();
        foreach (string template in StepOf.Keys)
        {
            string key = $"bench-key {{{{.app.metadata.name}}}} {template} {{{{index .app.metadata.annotations \"{CycleAnnotation}\"}}}} {{{{index .app.metadata.annotations \"{SentAnnotation}\"}}}}";
            string text = catalog["template." + template];
            if (!text.Contains("message: |\n", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the catalog's template.{template} has no block message");
            }

            text = text.Replace("message: |\n", "message: |\n  " + key + "\n", StringComparison.Ordinal)
                + "webhook:\n  receiver:\n    method: POST\n    path: /hook\n    body: |\n      " + key + "\n";
            data["template." + template] = text;
        }

        return data;
    }

    /// <summary>The built-in catalog's data (the notifier's embedded copy of Argo CD's).</summary>
    private static Dictionary<string, string> Catalog()
    {
        Assembly notifications = typeof(Lookout.Notifications.NotificationController).Assembly;
        using Stream stream = notifications.GetManifestResourceStream("argocd-notifications-catalog.yaml") ?? throw new InvalidOperationException("the catalog resource is missing");
        using var reader = new StreamReader(stream);
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(reader);
        return ((Dictionary<object, object>)yaml["data"]).ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value, StringComparer.Ordinal);
    }

    public JsonObject Initial(int i)
    {
        var annotations = new JsonObject
        {
            [CycleAnnotation] = "0",
            [SentAnnotation] = "0",
            [StepAnnotation] = "0",
        };
        foreach (string trigger in WebhookTriggers)
        {
            annotations[$"notifications.argoproj.io/subscribe.{trigger}.receiver"] = string.Empty;
        }

        if (slackAndEmail)
        {
            annotations["notifications.argoproj.io/subscribe.on-deployed.slack"] = Name(i);
            annotations["notifications.argoproj.io/subscribe.on-health-degraded.email"] = Name(i) + "@example.com";
        }

        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name(i),
                ["namespace"] = Namespace,
                ["labels"] = new JsonObject { ["team"] = $"team-{i % 20}" },
                ["annotations"] = annotations,
            },
            ["spec"] = new JsonObject
            {
                ["project"] = "default",
                ["source"] = new JsonObject { ["repoURL"] = "https://git.example.com/devops/ops-deploy", ["path"] = $"apps/{Name(i)}", ["targetRevision"] = "HEAD" },
                ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = $"ns-{i % 50}" },
            },
            ["status"] = new JsonObject
            {
                ["sync"] = new JsonObject { ["status"] = "Synced", ["revision"] = Revision(Name(i), 0) },
                ["health"] = new JsonObject { ["status"] = "Healthy", ["lastTransitionTime"] = Time(Epoch) },
                ["reconciledAt"] = Time(Epoch),
                ["resources"] = new JsonArray(
                    Resource("apps", "Deployment", Name(i)),
                    Resource(string.Empty, "Service", Name(i)),
                    Resource(string.Empty, "ConfigMap", Name(i) + "-config")),
            },
        };
    }

    /// <summary>Writes step <paramref name="step"/> of cycle <paramref name="cycle"/> into the stored Application and returns the event a watcher would publish.</summary>
    public ApplicationChanged Step(int i, int cycle, int step)
    {
        JsonObject stored = api.Modify(Plural, Namespace, Name(i), app => ApplyStep(app, cycle, step, Stopwatch.GetTimestamp()))
            ?? throw new InvalidOperationException(Name(i) + " is missing");
        return Event(stored);
    }

    /// <summary>The state of step <paramref name="step"/> of cycle <paramref name="cycle"/>, written over the object.</summary>
    public static void ApplyStep(JsonObject app, int cycle, int step, long sent)
    {
        string name = (string)app["metadata"]!["name"]!;
        var annotations = (JsonObject)app["metadata"]!["annotations"]!;
        annotations[CycleAnnotation] = cycle.ToString(CultureInfo.InvariantCulture);
        annotations[SentAnnotation] = sent.ToString(CultureInfo.InvariantCulture);
        annotations[StepAnnotation] = step.ToString(CultureInfo.InvariantCulture);
        DateTimeOffset t = Epoch + TimeSpan.FromMinutes(10 * cycle);
        string revision = Revision(name, cycle);
        var status = (JsonObject)app["status"]!;
        switch (step)
        {
            case 0:
                status["operationState"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["message"] = "one or more tasks are running",
                    ["startedAt"] = Time(t),
                    ["operation"] = new JsonObject { ["sync"] = new JsonObject { ["revision"] = revision } },
                    ["syncResult"] = new JsonObject { ["revision"] = revision },
                };
                status["sync"] = new JsonObject { ["status"] = "OutOfSync", ["revision"] = Revision(name, cycle - 1) };
                status["health"] = new JsonObject { ["status"] = "Healthy", ["lastTransitionTime"] = Time(t - TimeSpan.FromMinutes(5)) };
                status["reconciledAt"] = Time(t);
                break;
            case 1:
                status["operationState"] = new JsonObject
                {
                    ["phase"] = "Succeeded",
                    ["message"] = "successfully synced (all tasks run)",
                    ["startedAt"] = Time(t),
                    ["finishedAt"] = Time(t + TimeSpan.FromMinutes(1)),
                    ["operation"] = new JsonObject { ["sync"] = new JsonObject { ["revision"] = revision } },
                    ["syncResult"] = new JsonObject { ["revision"] = revision },
                };
                status["sync"] = new JsonObject { ["status"] = "Synced", ["revision"] = revision };
                status["health"] = new JsonObject { ["status"] = "Healthy", ["lastTransitionTime"] = Time(t + TimeSpan.FromMinutes(1)) };
                status["reconciledAt"] = Time(t + TimeSpan.FromMinutes(1));
                break;
            default:
                status["health"] = new JsonObject { ["status"] = "Degraded", ["message"] = "Deployment exceeded its progress deadline", ["lastTransitionTime"] = Time(t + TimeSpan.FromMinutes(2)) };
                status["reconciledAt"] = Time(t + TimeSpan.FromMinutes(2));
                break;
        }
    }

    /// <summary>The event for an object as stored (its resourceVersion, uid and body).</summary>
    public static ApplicationChanged Event(JsonObject stored)
    {
        var metadata = (JsonObject)stored["metadata"]!;
        var status = (JsonObject)stored["status"]!;
        return new ApplicationChanged
        {
            Object = new ObjectIdentity("in-cluster", (string)metadata["namespace"]!, (string)metadata["name"]!, (string)metadata["uid"]!),
            ResourceVersion = (string)metadata["resourceVersion"]!,
            ObservedAt = DateTimeOffset.UtcNow,
            Body = JsonSerializer.SerializeToElement(stored),
            Summary = new ApplicationSummary(
                (string?)status["sync"]?["status"], (string?)status["health"]?["status"], (string?)status["operationState"]?["phase"], (string?)status["sync"]?["revision"], false),
        };
    }

    /// <summary>The cycle and step an event's body describes (for consumers that only count).</summary>
    public static (string App, int Cycle, int Step, long Sent) Describe(JsonElement body)
    {
        JsonElement metadata = body.GetProperty("metadata");
        JsonElement annotations = metadata.GetProperty("annotations");
        return (metadata.GetProperty("name").GetString()!,
            int.Parse(annotations.GetProperty(CycleAnnotation).GetString()!, CultureInfo.InvariantCulture),
            int.Parse(annotations.GetProperty(StepAnnotation).GetString()!, CultureInfo.InvariantCulture),
            long.Parse(annotations.GetProperty(SentAnnotation).GetString()!, CultureInfo.InvariantCulture));
    }

    public static int StepOfTemplate(string template) => StepOf[template];

    private static JsonObject Resource(string group, string kind, string name) => new()
    {
        ["group"] = group,
        ["kind"] = kind,
        ["name"] = name,
        ["namespace"] = "apps",
        ["version"] = "v1",
        ["status"] = "Synced",
        ["health"] = new JsonObject { ["status"] = "Healthy" },
    };

    private static string Revision(string name, int cycle) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{name}/{cycle}")))[..40];

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"bench-key (\S+) (app-[a-z-]+) (\d+) (\d+)")]
    private static partial Regex KeyLine();

    /// <summary>The notification keys (service, app, template, cycle) and sent timestamps in a received text.</summary>
    public static IEnumerable<(string Key, string App, string Template, int Cycle, long Sent)> Keys(string service, string text)
    {
        foreach (Match m in KeyLine().Matches(text))
        {
            int cycle = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            yield return (Key(service, m.Groups[1].Value, m.Groups[2].Value, cycle), m.Groups[1].Value, m.Groups[2].Value, cycle, long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>What the receivers accepted: how often each notification arrived, and event-to-delivery latencies.</summary>
internal sealed class Deliveries
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<double> latencies = new();

    /// <summary>Called with (app, cycle, step) each time a notification of a step arrives (first arrivals only).</summary>
    public Action<string, int, int>? OnFirstArrival { get; set; }

    /// <summary>Only latencies of notifications written after this Stopwatch timestamp are kept.</summary>
    public long MeasureFrom { get; set; } = long.MaxValue;

    private int arrivals;

    public int Received => counts.Values.Sum();

    /// <summary>Notifications received (repeats included).</summary>
    public int Arrivals => Volatile.Read(ref arrivals);

    public IReadOnlyDictionary<string, int> Counts => counts;

    public double[] Latencies => [.. latencies];

    public void Record(string service, string text, long now)
    {
        foreach ((string key, string app, string template, int cycle, long sent) in NotifierFleet.Keys(service, text))
        {
            int n = counts.AddOrUpdate(key, 1, (_, c) => c + 1);
            Interlocked.Increment(ref arrivals);
            if (sent >= MeasureFrom)
            {
                latencies.Enqueue(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
            }

            if (n == 1)
            {
                OnFirstArrival?.Invoke(app, cycle, NotifierFleet.StepOfTemplate(template));
            }
        }
    }

    public void ClearLatencies() => latencies.Clear();

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
