using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Notifier.Tools;
using Lookout.Values.Yaml;

namespace Lookout.Notifications.Tests;

/// <summary><c>notifier replay</c> over the seed's ConfigMap (scenarios/notifications.yaml) and a recorded sync sequence.</summary>
public sealed class ReplayTests
{
    private static readonly string ConfigFile = TestConfigs.DataFile("notifications.yaml");
    private static readonly string EventsFile = TestConfigs.DataFile("frontend-sync-events.yaml");

    [Fact]
    public async Task Replay_OfTheSeedConfiguration_PrintsEachNotificationOnce()
    {
        (int code, List<JsonObject> lines, string errors) = await Replay(["--config", ConfigFile, EventsFile]);
        Assert.Equal(0, code);

        // No configuration problem; conditions reading a missing operationState fail as in expr-lang, and are reported.
        Assert.DoesNotContain("disabled", errors, StringComparison.Ordinal);
        Assert.All(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries), e => Assert.Contains("failed to execute when condition", e, StringComparison.Ordinal));
        Assert.Equal(
            ["1 on-out-of-sync", "4 on-deployed", "5 on-out-of-sync", "6 on-sync-failed"],
            lines.Select(l => $"{(int)l["event"]!} {(string?)l["trigger"]}"));
        JsonObject deployed = lines[1];
        Assert.Equal("argocd/frontend-app", (string?)deployed["object"]);
        Assert.Equal("Application", (string?)deployed["kind"]);
        Assert.Equal("slack", (string?)deployed["service"]);
        Assert.Equal(string.Empty, (string?)deployed["recipient"]);
        Assert.Equal("[\"app-deployed\"]", deployed["templates"]!.ToJsonString());
        Assert.Equal(
            "✅ Application frontend-app has been successfully deployed!\n- Sync Status: Synced\n- Health Status: Healthy\n- Repository: http://git.example.com/devops/ops-deploy\n- Revision: 1f0c2d3e\n",
            (string?)deployed["notification"]!["message"]);

        // The ConfigMap's app-deployed replaces the catalog's whole template (no Slack attachments left).
        Assert.Null(deployed["notification"]!["slack"]);
        Assert.Equal(
            "❌ Application frontend-app sync failed!\n- Sync Status: OutOfSync\n- Error: one or more objects failed to apply\n",
            (string?)lines[3]["notification"]!["message"]);
    }

    [Fact]
    public async Task Replay_ReadsPrettyPrintedJsonEvents_AsKubectlPrintsThem()
    {
        IEnumerable<string> json = YamlDocuments.Parse(await File.ReadAllTextAsync(EventsFile), "events")
            .Select(e => e.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        string path = Path.Combine(Directory.CreateTempSubdirectory("lookout-replay-").FullName, "events.json");
        await File.WriteAllTextAsync(path, string.Join('\n', json));
        (int code, List<JsonObject> lines, _) = await Replay(["--config", ConfigFile, path]);
        Assert.Equal(0, code);
        Assert.Equal([1, 4, 5, 6], lines.Select(l => (int)l["event"]!));
    }

    [Fact]
    public async Task Replay_StartsFromTheAnnotationOfTheFirstEvent()
    {
        // The first event already carries the state Argo CD's controller wrote for on-out-of-sync.
        string text = (await File.ReadAllTextAsync(EventsFile)).Replace(
            "      notifications.argoproj.io/subscribe.on-deployed.slack: \"\"\n",
            "      notifications.argoproj.io/subscribe.on-deployed.slack: \"\"\n      notified.notifications.argoproj.io: '{\"on-out-of-sync:[0].I54pp8hftvuoE3L8K7Rve4eD8zM:slack:\":1764000000}'\n",
            StringComparison.Ordinal);
        string path = Path.Combine(Directory.CreateTempSubdirectory("lookout-replay-").FullName, "events.yaml");
        await File.WriteAllTextAsync(path, text);
        (_, List<JsonObject> lines, _) = await Replay(["--config", ConfigFile, path]);
        Assert.Equal(["4 on-deployed", "5 on-out-of-sync", "6 on-sync-failed"], lines.Select(l => $"{(int)l["event"]!} {(string?)l["trigger"]}"));
    }

    [Fact]
    public async Task Replay_ReportsABrokenEntryOnStandardError_AndGoesOn()
    {
        string config = (await File.ReadAllTextAsync(ConfigFile)).Replace(
            "  trigger.on-sync-failed: |\n    - when: app.status.operationState.phase in ['Error', 'Failed']",
            "  trigger.on-sync-failed: |\n    - when: app.status.operationState.phase in ['Error', 'Failed'",
            StringComparison.Ordinal);
        string path = Path.Combine(Directory.CreateTempSubdirectory("lookout-replay-").FullName, "cm.yaml");
        await File.WriteAllTextAsync(path, config);
        (int code, List<JsonObject> lines, string errors) = await Replay(["--config", path, EventsFile]);
        Assert.Equal(0, code);
        Assert.StartsWith("trigger.on-sync-failed: ", errors, StringComparison.Ordinal);
        Assert.Equal(["1 on-out-of-sync", "4 on-deployed", "5 on-out-of-sync"], lines.Select(l => $"{(int)l["event"]!} {(string?)l["trigger"]}"));
    }

    [Fact]
    public async Task TriggerRun_PrintsEachConditionsResult()
    {
        string dir = Directory.CreateTempSubdirectory("lookout-trigger-").FullName;
        string app = Path.Combine(dir, "app.yaml");
        await File.WriteAllTextAsync(app, "kind: Application\nmetadata: {name: a}\nstatus:\n  sync: {status: Unknown}\n  operationState: {phase: Running, syncResult: {revision: abc}}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await TriggerRunCommand.RunTriggerAsync(["on-sync-status-unknown", app], stdout, stderr, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Matches(@"^\[0\]\.[A-Za-z0-9_-]+\ttrue\toncePer=abc\n$", stdout.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));

        stdout = new StringWriter();
        code = await TriggerRunCommand.NotifyAsync(["app-sync-status-unknown", app, "email:ops@example.com"], stdout, stderr, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal("Application a sync status is 'Unknown'", (string?)JsonNode.Parse(stdout.ToString())!["email"]!["subject"]);
    }

    [Fact]
    public async Task Replay_OfRolloutEvents_SendsArgoRolloutsTemplates_OncePerOccurrence()
    {
        string dir = Directory.CreateTempSubdirectory("lookout-replay-rollouts-").FullName;
        string config = Path.Combine(dir, "rollouts-cm.yaml");
        await File.WriteAllTextAsync(config, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argo-rollouts-notification-configmap}\ndata:\n  service.slack: '{token: xoxb}'\n");
        string Rollout(string phase) =>
            "{\"type\": \"MODIFIED\", \"object\": {\"apiVersion\": \"argoproj.io/v1alpha1\", \"kind\": \"Rollout\", \"metadata\": {\"name\": \"web\", \"namespace\": \"shop\", \"uid\": \"r1\", "
            + "\"annotations\": {\"notifications.argoproj.io/subscribe.on-rollout-completed.slack\": \"rollouts\"}}, \"spec\": {\"replicas\": 2}, \"status\": {\"phase\": \"" + phase + "\"}}}";
        string Event(int count) =>
            "{\"type\": \"" + (count == 1 ? "ADDED" : "MODIFIED") + "\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Event\", \"metadata\": {\"name\": \"web.1\", \"namespace\": \"shop\", \"uid\": \"e1\"}, "
            + "\"involvedObject\": {\"kind\": \"Rollout\", \"name\": \"web\", \"namespace\": \"shop\", \"uid\": \"r1\"}, \"reason\": \"RolloutCompleted\", \"count\": " + count + "}}";
        string events = Path.Combine(dir, "events.json");
        await File.WriteAllLinesAsync(events, [Rollout("Progressing"), Event(1), Event(1), Rollout("Healthy"), Event(2)]);

        (int code, List<JsonObject> lines, string errors) = await Replay(["--config", config, events]);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, errors);
        Assert.Equal(["2 shop/web Rollout on-rollout-completed slack:rollouts", "5 shop/web Rollout on-rollout-completed slack:rollouts"],
            lines.Select(l => $"{(int)l["event"]!} {l["object"]} {l["kind"]} {l["trigger"]} {l["service"]}:{l["recipient"]}"));
        Assert.All(lines, l => Assert.Equal("Rollout web has been completed.", (string?)l["notification"]!["message"]));
    }

    private static async Task<(int Code, List<JsonObject> Lines, string Errors)> Replay(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ReplayCommand.RunAsync(args, new StringReader(string.Empty), stdout, stderr, CancellationToken.None);
        List<JsonObject> lines = [.. stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
        return (code, lines, stderr.ToString());
    }
}
