using System.Text.Json;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Notifier;
using Lookout.Testing.Http;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Notifications.Tests;

/// <summary>Argo Rollouts' notifications on a real RabbitMQ: its own ConfigMap, Events in, Slack messages out.</summary>
public sealed class RolloutEventEndToEndTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    private const string RolloutUid = "uid-rollout-e2e";

    [Fact]
    public async Task RolloutEvents_SendRolloutsTemplatesOncePerOccurrence_AndEachConfigurationAppliesToItsOwnKind()
    {
        await using HttpReceiver slack = await HttpReceiver.StartAsync();
        string dir = Directory.CreateTempSubdirectory("lookout-rollouts-e2e-").FullName;
        string argoCdPath = Path.Combine(dir, "argocd-cm.yaml");
        string rolloutsPath = Path.Combine(dir, "rollouts-cm.yaml");

        // Argo CD's ConfigMap subscribes everything to a trigger that is always true: it must not reach Rollouts.
        await File.WriteAllTextAsync(argoCdPath, DeliveryHarness.ConfigMap(
            $"service.slack: |\ntoken: xoxb-argocd\napiURL: {slack.SlackApiUrl}",
            "trigger.on-healthy: |\n- when: 'true'\n  send: [everything]",
            "template.everything: |\nmessage: 'Argo CD configuration used for {{.rollout.metadata.name}}'",
            "subscriptions: |\n- recipients: [slack:argocd-wide]\n  triggers: [on-healthy]"));

        // Argo Rollouts' ConfigMap: a subscription by label, a `when` on a catalog trigger (run on its Event only), and
        // a trigger of its own with `when` (run on the Rollout's changes, as before).
        await File.WriteAllTextAsync(rolloutsPath, DeliveryHarness.ConfigMap(
            $"service.slack: |\ntoken: xoxb-rollouts\napiURL: {slack.SlackApiUrl}",
            "trigger.on-rollout-completed: |\n- when: rollout.status.phase == 'Healthy'\n  send: [rollout-completed]",
            "trigger.on-healthy: |\n- when: rollout.status.phase == 'Healthy'\n  send: [healthy]",
            "template.healthy: |\nmessage: '{{.rollout.metadata.name}} is healthy at {{.rollout.metadata.resourceVersion}}'",
            "subscriptions: |\n- recipients: [slack:analysis]\n  triggers: [on-analysis-run-failed]\n  selector: team=payments").Replace("argocd-notifications-cm", "argo-rollouts-notification-configmap", StringComparison.Ordinal));

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = rabbit.Url,
            ["Notifier:ConfigPath"] = argoCdPath,
            ["Notifier:Rollouts:ConfigPath"] = rolloutsPath,
            ["Notifier:Delivery:SlackChannelInterval"] = "00:00:00",
        });
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddNotifierConsumers());
        using IHost host = builder.Build();
        await host.StartAsync();
        try
        {
            BusHealthStatus health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(120));
            Assert.Equal(BusHealthStatus.Healthy, health);
            IBus bus = host.Services.GetRequiredService<IBus>();

            await bus.Publish(Changed("10", "Healthy"));
            RolloutEventRecorded completed = Recorded("RolloutCompleted", 1);
            await bus.Publish(completed, c => c.MessageId = Guid.Parse("00000000-0000-0000-0000-00000000e001"));
            await bus.Publish(completed, c => c.MessageId = Guid.Parse("00000000-0000-0000-0000-00000000e001")); // redelivered
            await bus.Publish(Recorded("AnalysisRunFailed", 1, "Warning"));
            await bus.Publish(Recorded("RolloutAborted", 1)); // nobody subscribed

            // Last on each path: anything wrongly sent before them arrives before them.
            await bus.Publish(Recorded("RolloutCompleted", 2));
            await bus.Publish(Changed("11", "Degraded"));
            await bus.Publish(Changed("12", "Healthy"));

            IReadOnlyList<ReceivedRequest> requests = await slack.WaitForRequestsAsync(5, TimeSpan.FromSeconds(180));
            Assert.Equal(
                [
                    "analysis: Rollout guestbook's analysis run failed.",
                    "rollouts: Rollout guestbook has been completed.",
                    "rollouts: Rollout guestbook has been completed.",
                    "rollouts: guestbook is healthy at 10",
                    "rollouts: guestbook is healthy at 12",
                ],
                requests.Select(r => $"{r.Json!["channel"]}: {r.Json["text"]}").Order(StringComparer.Ordinal));
            Assert.All(requests, r => Assert.Equal("Bearer xoxb-rollouts", r.Headers["Authorization"]));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static JsonElement Body(string resourceVersion, string phase) => JsonDocument.Parse("""
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
         "metadata": {"name": "guestbook", "namespace": "shop", "uid": "UID", "resourceVersion": "RV",
           "labels": {"team": "payments"},
           "annotations": {"notifications.argoproj.io/subscribe.on-rollout-completed.slack": "rollouts",
                           "notifications.argoproj.io/subscribe.on-healthy.slack": "rollouts"}},
         "spec": {"replicas": 2, "strategy": {"blueGreen": {}}, "template": {"spec": {"containers": [{"name": "web", "image": "shop/web:v2"}]}}},
         "status": {"phase": "PHASE"}}
        """.Replace("UID", RolloutUid, StringComparison.Ordinal).Replace("RV", resourceVersion, StringComparison.Ordinal).Replace("PHASE", phase, StringComparison.Ordinal)).RootElement.Clone();

    private static RolloutChanged Changed(string resourceVersion, string phase) => new()
    {
        Object = new ObjectIdentity("in-cluster", "shop", "guestbook", RolloutUid),
        ResourceVersion = resourceVersion,
        ObservedAt = DateTimeOffset.UtcNow,
        Body = Body(resourceVersion, phase),
        Summary = new RolloutSummary(phase, "1", null, null, null, [], false, null),
    };

    private static RolloutEventRecorded Recorded(string reason, int count, string type = "Normal") => new()
    {
        Rollout = new ObjectIdentity("in-cluster", "shop", "guestbook", RolloutUid),
        InvolvedObject = new EventInvolvedObject("Rollout", "argoproj.io/v1alpha1", "shop", "guestbook", RolloutUid),
        EventUid = "uid-event-" + reason,
        EventName = "guestbook." + reason,
        EventResourceVersion = "9" + count,
        Reason = reason,
        Type = type,
        Count = count,
        ObservedAt = DateTimeOffset.UtcNow,
        ObjectBody = Body("10", "Healthy"),
    };
}
