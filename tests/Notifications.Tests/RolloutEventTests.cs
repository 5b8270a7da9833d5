using System.Text.Json.Nodes;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.Triggers;
using Lookout.Values;

namespace Lookout.Notifications.Tests;

/// <summary>Argo Rollouts' event-driven triggers: reasons to trigger names, the built-in catalog, overrides and conditions.</summary>
public sealed class RolloutEventTests
{
    private const string Rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata:
          name: guestbook
          namespace: shop
          uid: uid-guestbook
          resourceVersion: "42"
          labels: {team: payments}
          annotations:
            notifications.argoproj.io/subscribe.on-rollout-completed.slack: rollouts
            notifications.argoproj.io/subscribe.on-rollout-step-completed.slack: rollouts
        spec:
          replicas: 4
          strategy:
            canary:
              steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}]
          template:
            spec:
              containers:
              - {name: web, image: "shop/web:v2"}
              - {name: sidecar, image: "envoy:1.30"}
        status:
          currentStepIndex: 1
          updatedReplicas: 2
        """;

    [Theory]
    [InlineData("RolloutCompleted", "on-rollout-completed")]
    [InlineData("RolloutStepCompleted", "on-rollout-step-completed")]
    [InlineData("RolloutUpdated", "on-rollout-updated")]
    [InlineData("RolloutAborted", "on-rollout-aborted")]
    [InlineData("RolloutPaused", "on-rollout-paused")]
    [InlineData("AnalysisRunRunning", "on-analysis-run-running")]
    [InlineData("AnalysisRunError", "on-analysis-run-error")]
    [InlineData("AnalysisRunFailed", "on-analysis-run-failed")]
    [InlineData("ScalingReplicaSet", "on-scaling-replica-set")]
    [InlineData("NewReplicaSetCreated", "on-new-replica-set-created")]
    [InlineData("PatchingALBIngress", "on-patching-alb-ingress")]
    [InlineData("A", "on-a")]
    public void Reason_NamesTheTrigger_AsArgoRolloutsTranslatesIt(string reason, string trigger)
    {
        Assert.Equal(trigger, EventTriggers.TriggerOf(reason));
    }

    [Fact]
    public void TheCatalog_HasEveryBuiltInTrigger_WithoutWhen_AndIsKnownAsEventDriven()
    {
        NotificationConfig config = Parse();
        string[] expected =
        [
            "on-analysis-run-error", "on-analysis-run-failed", "on-analysis-run-running", "on-rollout-aborted", "on-rollout-completed",
            "on-rollout-paused", "on-rollout-step-completed", "on-rollout-updated", "on-scaling-replica-set",
        ];
        Assert.Equal(expected, config.TriggerDefinitions.Keys.Order(StringComparer.Ordinal));
        Assert.All(config.TriggerDefinitions.Values, conditions => Assert.Equal(string.Empty, Assert.Single(conditions).When));
        Assert.All(expected, t => Assert.True(EventTriggers.IsEventTrigger(t), t));
        Assert.False(EventTriggers.IsEventTrigger("on-deployed"));
        Assert.Empty(config.Problems);
    }

    [Theory]
    [InlineData("RolloutCompleted", "Rollout guestbook has been completed.", "#18be52")]
    [InlineData("RolloutStepCompleted", "Rollout guestbook step number 2/3 has been completed.", "#18be52")]
    public void AnEvent_SendsTheBuiltInTemplate_ToTheSubscribedDestination(string reason, string message, string color)
    {
        EventResult result = new RolloutEventController(TimeProvider.System).Process(reason, TestConfigs.Object(Rollout), Parse());

        PlannedNotification sent = Assert.Single(result.Notifications);
        Assert.Empty(result.Errors);
        Assert.Equal(new Destination("slack", "rollouts"), sent.Destination);
        Assert.Equal(message, sent.Notification.Message);
        Assert.Equal(message, sent.Notification.Field("email", "subject"));
        var attachment = (JsonObject)JsonNode.Parse(sent.Notification.Field("slack", "attachments"))!.AsArray().Single()!;
        Assert.Equal("guestbook", (string?)attachment["title"]);
        Assert.Equal(color, (string?)attachment["color"]);
        string[] fields = [.. attachment["fields"]!.AsArray().Select(f => $"{f!["title"]}={f["value"]}")];
        Assert.Equal("Strategy=Canary", fields[0]);
        Assert.Equal(["web=shop/web:v2", "sidecar=envoy:1.30"], fields[^2..]);
    }

    [Fact]
    public void AnEventNobodySubscribedTo_SendsNothing()
    {
        EventResult result = new RolloutEventController(TimeProvider.System).Process("RolloutAborted", TestConfigs.Object(Rollout), Parse());
        Assert.Equal("on-rollout-aborted", result.Trigger);
        Assert.Empty(result.Notifications);
    }

    [Fact]
    public void TheConfigMap_OverridesTheCatalog_AndItsSubscriptionsSelectByLabel()
    {
        NotificationConfig config = Parse(new Dictionary<string, string>
        {
            ["template.analysis-run-failed"] = "message: '{{.rollout.metadata.name}} failed its analysis ({{.serviceType}}:{{.recipient}})'",
            ["subscriptions"] = "- recipients: [slack:alerts]\n  triggers: [on-analysis-run-failed]\n  selector: team=payments\n- recipients: [slack:never]\n  triggers: [on-analysis-run-failed]\n  selector: team=search",
        });

        EventResult result = new RolloutEventController(TimeProvider.System).Process("AnalysisRunFailed", TestConfigs.Object(Rollout), config);

        PlannedNotification sent = Assert.Single(result.Notifications);
        Assert.Equal("guestbook failed its analysis (slack:alerts)", sent.Notification.Message);
    }

    [Theory]
    [InlineData("rollout.spec.replicas > 3", true)]
    [InlineData("rollout.spec.replicas > 10", false)]
    public void ATriggerWithWhen_SendsOnItsEvent_OnlyWhenTheConditionHolds(string when, bool sent)
    {
        NotificationConfig config = Parse(new Dictionary<string, string>
        {
            ["trigger.on-rollout-completed"] = $"- when: {when}\n  send: [rollout-completed]",
        });

        EventResult result = new RolloutEventController(TimeProvider.System).Process("RolloutCompleted", TestConfigs.Object(Rollout), config);

        Assert.Equal(sent ? 1 : 0, result.Notifications.Count);
        Assert.Equal([("on-rollout-completed", sent)], result.Evaluations);
    }

    [Fact]
    public void EventIds_AreOnePerOccurrenceAndDestination()
    {
        var slack = new Destination("slack", "rollouts");
        Guid first = NotificationIds.ForEvent("event-uid", 1, "on-rollout-completed", "[0].x", slack);
        Assert.Equal(first, NotificationIds.ForEvent("event-uid", 1, "on-rollout-completed", "[0].x", slack));
        Assert.NotEqual(first, NotificationIds.ForEvent("event-uid", 2, "on-rollout-completed", "[0].x", slack));
        Assert.NotEqual(first, NotificationIds.ForEvent("event-uid", 1, "on-rollout-completed", "[0].x", slack with { Recipient = "other" }));
    }

    private static NotificationConfig Parse(Dictionary<string, string>? data = null)
    {
        data ??= [];
        data["service.slack"] = "token: xoxb-test";
        return NotificationConfigParser.Parse(
            new ConfigMapData("argo-rollouts-notification-configmap", "argo-rollouts", data, new Dictionary<string, string>()),
            ServiceTypes.BuiltIn(),
            TestConfigs.Services(),
            NotificationConfigParser.RolloutsCatalog);
    }
}
