using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Scope;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.State;
using Lookout.Notifications.Triggers;
using Lookout.Values;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lookout.Notifier.Tools;

/// <summary>
/// <c>notifier replay --config &lt;cm.yaml&gt; [--secret &lt;secret.yaml&gt;] [--repo-answers &lt;answers.yaml&gt;] [&lt;events&gt;]</c>: runs recorded watch
/// events through the notifier's pipeline (subscriptions, triggers, state, templates) with no service reached, and
/// prints one JSON line per notification. The state starts from the annotation of each object's first event and is
/// then kept as the notifier would patch it.
/// </summary>
public static class ReplayCommand
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the command; returns 0, or 2 for a usage or input error.</summary>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!ToolArguments.TryParse(args, out ToolArguments? parsed, out string? usageError) || (parsed.Config is null && parsed.RolloutsConfig is null))
        {
            await stderr.WriteLineAsync(usageError
                ?? "usage: notifier replay --config <cm.yaml> [--secret <secret.yaml>] [--rollouts-config <cm.yaml> [--rollouts-secret <secret.yaml>]] [--repo-answers <answers.yaml>] [<events>]").ConfigureAwait(false);
            return 2;
        }

        NotificationConfig config;
        NotificationConfig rolloutsConfig;
        IReadOnlyList<WatchEvent> events;
        IArgoRepoServer? repo;
        try
        {
            (config, rolloutsConfig) = await ToolArguments.LoadConfigsAsync(parsed, stderr, cancellationToken).ConfigureAwait(false);
            repo = await ToolArguments.LoadRepoAnswersAsync(parsed, cancellationToken).ConfigureAwait(false);
            string text = parsed.Positional.Count > 0
                ? await File.ReadAllTextAsync(parsed.Positional[0], cancellationToken).ConfigureAwait(false)
                : await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            events = WatchEvents.Parse(text, parsed.Positional.Count > 0 ? parsed.Positional[0] : "stdin");
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        foreach (string line in Replay(config, events, stderr, repo, rolloutsConfig))
        {
            await stdout.WriteLineAsync(line).ConfigureAwait(false);
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The output lines of a replay; <paramref name="repo"/> answers the <c>repo</c> helpers at once (canned answers).
    /// Applications use <paramref name="config"/>; Rollouts, and the Events about them (objects of kind <c>Event</c>),
    /// <paramref name="rolloutsConfig"/> (Argo Rollouts' catalog alone when null).
    /// </summary>
    public static IEnumerable<string> Replay(
        NotificationConfig config, IReadOnlyList<WatchEvent> events, TextWriter diagnostics, IArgoRepoServer? repo = null, NotificationConfig? rolloutsConfig = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(diagnostics);
        rolloutsConfig ??= NotificationConfigParser.Parse(
            ConfigMapData.Empty("argo-rollouts-notification-configmap"), ServiceTypes.BuiltIn(), OfflineServices(), NotificationConfigParser.RolloutsCatalog);
        var controller = new NotificationController(TimeProvider.System);
        var eventController = new RolloutEventController(TimeProvider.System);
        var states = new Dictionary<string, NotifiedState>(StringComparer.Ordinal);
        var projects = new Dictionary<string, ObjectMap>(StringComparer.Ordinal);

        // The last version of each Rollout and AnalysisRun seen, for the Events about them; each Event occurrence once.
        var involved = new Dictionary<string, ObjectMap>(StringComparer.Ordinal);
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < events.Count; i++)
        {
            WatchEvent e = events[i];
            if (ObjectModel.FromJson(e.Object.ToJsonString()) is not ObjectMap obj)
            {
                continue;
            }

            string kind = (string?)e.Object["kind"] ?? string.Empty;
            string ns = (string?)e.Object["metadata"]?["namespace"] ?? string.Empty;
            string name = (string?)e.Object["metadata"]?["name"] ?? string.Empty;
            string uid = (string?)e.Object["metadata"]?["uid"] ?? $"{kind}/{ns}/{name}";
            if (kind == "AppProject")
            {
                projects[$"{ns}/{name}"] = obj;
                continue;
            }

            if (kind is "Rollout" or "AnalysisRun")
            {
                involved[$"{kind}/{ns}/{name}"] = obj;
            }

            if (kind == "Event")
            {
                foreach (string line in ReplayEvent(i, e, uid, rolloutsConfig, eventController, involved, occurrences, diagnostics))
                {
                    yield return line;
                }

                continue;
            }

            if (kind is not ("Application" or "Rollout"))
            {
                continue;
            }

            if (e.Type == "DELETED")
            {
                states.Remove(uid);
                continue;
            }

            if (!states.TryGetValue(uid, out NotifiedState? state))
            {
                state = NotifiedState.Parse(NotificationController.StringMap(obj, "annotations").GetValueOrDefault(NotifiedState.AnnotationKey));
            }

            string project = (string?)e.Object["spec"]?["project"] is { Length: > 0 } p ? p : "default";
            ProcessResult result = kind == "Application"
                ? controller.Process(kind, obj, projects.GetValueOrDefault($"{ns}/{project}"), config, state, repo)
                : controller.Process(kind, obj, null, rolloutsConfig, state, repo, t => !EventTriggers.IsEventTrigger(t));
            states[uid] = result.State;
            foreach (string error in result.Errors)
            {
                diagnostics.WriteLine($"event {i + 1} {ns}/{name}: {ToolArguments.FirstLine(error)}");
            }

            foreach (string line in Lines(i, $"{ns}/{name}", kind, result.Notifications))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> ReplayEvent(
        int index, WatchEvent e, string uid, NotificationConfig config, RolloutEventController controller,
        Dictionary<string, ObjectMap> involved, Dictionary<string, int> occurrences, TextWriter diagnostics)
    {
        JsonNode? about = e.Object["involvedObject"];
        string kind = (string?)about?["kind"] ?? string.Empty;
        string reason = (string?)e.Object["reason"] ?? string.Empty;
        int count = e.Object["count"] is JsonValue c && c.TryGetValue(out int n) ? n : 1;
        if (e.Type == "DELETED" || kind is not ("Rollout" or "AnalysisRun") || (occurrences.TryGetValue(uid, out int last) && count <= last))
        {
            yield break;
        }

        occurrences[uid] = count;
        string ns = (string?)about?["namespace"] ?? (string?)e.Object["metadata"]?["namespace"] ?? string.Empty;
        string name = (string?)about?["name"] ?? string.Empty;
        if (!involved.TryGetValue($"{kind}/{ns}/{name}", out ObjectMap? obj))
        {
            diagnostics.WriteLine($"event {index + 1} {ns}/{name}: {reason}: the {kind} is not in the replay before its Event; nothing sent");
            yield break;
        }

        EventResult result = controller.Process(reason, obj, config);
        foreach (string error in result.Errors)
        {
            diagnostics.WriteLine($"event {index + 1} {ns}/{name}: {ToolArguments.FirstLine(error)}");
        }

        foreach (string line in Lines(index, $"{ns}/{name}", kind, result.Notifications))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> Lines(int index, string obj, string kind, IEnumerable<PlannedNotification> notifications)
    {
        foreach (PlannedNotification n in notifications
            .OrderBy(n => n.Trigger, StringComparer.Ordinal)
            .ThenBy(n => n.Destination.Service, StringComparer.Ordinal)
            .ThenBy(n => n.Destination.Recipient, StringComparer.Ordinal))
        {
            var line = new JsonObject
            {
                ["event"] = index + 1,
                ["object"] = obj,
                ["kind"] = kind,
                ["trigger"] = n.Trigger,
                ["service"] = n.Destination.Service,
                ["recipient"] = n.Destination.Recipient,
                ["templates"] = new JsonArray([.. n.Condition.Templates.Select(t => (JsonNode?)JsonValue.Create(t))]),
                ["notification"] = n.Notification.ToJson(),
            };
            yield return line.ToJsonString(Output);
        }
    }

    /// <summary>What the offline tools build services with: no network is ever used.</summary>
    public static ServiceContext OfflineServices() => new()
    {
        HttpClients = _ => new HttpClient(new RefusingHandler()),
        Logs = NullLoggerFactory.Instance,
        SlackThreads = new FileSlackThreadStore(null),
    };

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the offline tools never send");
    }
}
