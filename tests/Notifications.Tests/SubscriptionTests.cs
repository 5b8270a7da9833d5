using Lookout.Notifications.Configuration;
using Lookout.Notifications.Subscriptions;
using Lookout.Values;

namespace Lookout.Notifications.Tests;

/// <summary>Every source of subscriptions notifications-engine and Argo CD read.</summary>
public sealed class SubscriptionTests
{
    private static readonly NotificationConfig Config = TestConfigs.Parse(new Dictionary<string, string>
    {
        ["defaultTriggers"] = "- on-sync-status-unknown\n",
        ["defaultTriggers.mattermost"] = "- on-sync-running\n- on-sync-succeeded\n",
        ["subscriptions"] = """
            - recipients: [slack:test2, email:ops@example.com]
              triggers: [on-sync-succeeded]
              selector: test=true
            - recipients: [teams:platform]
              selector: team in (payments, frontend), tier!=free
            """,
    });

    [Fact]
    public void TriggerServiceAnnotation_SplitsRecipientsOnSemicolons()
    {
        Destinations d = Destinations(annotations: new() { ["notifications.argoproj.io/subscribe.on-deployed.slack"] = "a; b;;c" });
        Assert.Equal([new Destination("slack", "a"), new Destination("slack", "b"), new Destination("slack", "c")], d.ByTrigger["on-deployed"]);
    }

    [Fact]
    public void EmptyAnnotationValue_IsOneEmptyRecipient()
    {
        Destinations d = Destinations(annotations: new() { ["notifications.argoproj.io/subscribe.on-deployed.slack"] = string.Empty });
        Assert.Equal([new Destination("slack", string.Empty)], d.ByTrigger["on-deployed"]);
    }

    [Fact]
    public void ServiceAnnotation_UsesTheServiceDefaultTriggers_ElseTheDefaultTriggers()
    {
        Destinations d = Destinations(annotations: new()
        {
            ["notifications.argoproj.io/subscribe.mattermost"] = "chan",
            ["notifications.argoproj.io/subscribe.slack"] = "alerts",
        });
        Assert.Equal([new Destination("mattermost", "chan")], d.ByTrigger["on-sync-running"]);
        Assert.Equal([new Destination("mattermost", "chan")], d.ByTrigger["on-sync-succeeded"]);
        Assert.Equal([new Destination("slack", "alerts")], d.ByTrigger["on-sync-status-unknown"]);
    }

    [Fact]
    public void SubscriptionsAnnotation_ListsTriggersAndDestinations()
    {
        Destinations d = Destinations(annotations: new()
        {
            ["notifications.argoproj.io/subscriptions"] = """
                - trigger: [on-sync-failed, on-health-degraded]
                  destinations:
                    - service: slack
                      recipients: [ops, dev]
                - destinations:
                    - service: mattermost
                      recipients: [m1]
                """,
        });
        Assert.Equal([new Destination("slack", "ops"), new Destination("slack", "dev")], d.ByTrigger["on-sync-failed"]);
        Assert.Equal([new Destination("slack", "ops"), new Destination("slack", "dev")], d.ByTrigger["on-health-degraded"]);
        Assert.Equal([new Destination("mattermost", "m1")], d.ByTrigger["on-sync-running"]);
    }

    [Fact]
    public void BrokenSubscriptionsAnnotation_IsReported_AndTheOtherAnnotationsStillCount()
    {
        var problems = new List<string>();
        Destinations d = SubscriptionAnnotations.GetDestinations(
            new Dictionary<string, string>
            {
                ["notifications.argoproj.io/subscriptions"] = "- trigger: [a\n  destinations: {",
                ["notifications.argoproj.io/subscribe.on-deployed.slack"] = "ops",
            },
            Config.DefaultTriggers,
            Config.ServiceDefaultTriggers,
            problems);
        Assert.Single(d.ByTrigger);
        Assert.Contains(problems, p => p.Contains("notifications.argoproj.io/subscriptions", StringComparison.Ordinal));
    }

    [Fact]
    public void ProjectAnnotations_Subscribe()
    {
        ObjectMap project = TestConfigs.Object("""
            metadata:
              name: default
              annotations:
                notifications.argoproj.io/subscribe.on-sync-failed.slack: team-channel
            """);
        Destinations d = Destinations(project: project);
        Assert.Equal([new Destination("slack", "team-channel")], d.ByTrigger["on-sync-failed"]);
    }

    [Theory]
    // annotation key, value, trigger, expected destinations (Argo CD's GetLegacyDestinations on the AppProject)
    [InlineData("on-sync-failed.recipients.argocd-notifications.argoproj.io", "slack:team-a, email:ops@example.com", "on-sync-failed", "slack:team-a,email:ops@example.com")]
    [InlineData("recipients.argocd-notifications.argoproj.io", "slack:team-a", "on-sync-status-unknown", "slack:team-a")]
    [InlineData("on-sync-failed.recipients.argocd-notifications.argoproj.io", "mattermost:ops", "on-sync-succeeded", "mattermost:ops")]
    [InlineData("on-sync-failed.recipients.argocd-notifications.argoproj.io", "mattermost:ops", "on-sync-failed", "")]
    [InlineData("on-sync-failed.recipients.argocd-notifications.argoproj.io", "slack", "on-sync-failed", "slack:")]
    [InlineData("notifications.argoproj.io/other", "slack:team-a", "on-sync-failed", "")]
    public void ProjectLegacyRecipients_Subscribe(string key, string value, string trigger, string expected)
    {
        var project = new ObjectMap { ["metadata"] = new ObjectMap { ["name"] = "team-a", ["annotations"] = new ObjectMap { [key] = value } } };
        Destinations d = Destinations(project: project);
        string actual = d.ByTrigger.TryGetValue(trigger, out List<Destination>? list) ? string.Join(',', list.Select(x => $"{x.Service}:{x.Recipient}")) : string.Empty;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LegacyRecipients_OnTheApplicationItself_AreNotRead()
    {
        // Argo CD reads the legacy annotation on the AppProject only.
        Destinations d = Destinations(annotations: new Dictionary<string, string> { ["on-sync-failed.recipients.argocd-notifications.argoproj.io"] = "slack:team-a" });
        Assert.False(d.ByTrigger.ContainsKey("on-sync-failed"));
    }

    [Theory]
    [InlineData("test: 'true'", "on-sync-succeeded", "slack:test2,email:ops@example.com")]
    [InlineData("test: 'false'", "on-sync-succeeded", "")]
    [InlineData("team: payments", "on-sync-status-unknown", "teams:platform")]
    [InlineData("{team: payments, tier: free}", "on-sync-status-unknown", "")]
    [InlineData("team: data", "on-sync-status-unknown", "")]
    public void ConfigMapSubscriptions_MatchTheirSelector(string labels, string trigger, string expected)
    {
        ObjectMap app = TestConfigs.Object($$"""
            metadata:
              name: guestbook
              labels: {{(labels.StartsWith('{') ? labels : "{" + labels + "}")}}
            """);
        Destinations d = NotificationController.GetDestinations(app, null, Config);
        string actual = d.ByTrigger.TryGetValue(trigger, out List<Destination>? list) ? string.Join(',', list.Select(x => $"{x.Service}:{x.Recipient}")) : string.Empty;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Sources_AreMergedWithoutDuplicates()
    {
        ObjectMap app = TestConfigs.Object("""
            metadata:
              name: guestbook
              labels: {test: 'true'}
              annotations:
                notifications.argoproj.io/subscribe.on-sync-succeeded.slack: test2
            """);
        Destinations d = NotificationController.GetDestinations(app, null, Config);
        Assert.Equal([new Destination("slack", "test2"), new Destination("email", "ops@example.com")], d.ByTrigger["on-sync-succeeded"]);
    }

    private static Destinations Destinations(Dictionary<string, string>? annotations = null, ObjectMap? project = null)
    {
        var metadata = new ObjectMap { ["name"] = "guestbook" };
        if (annotations is not null)
        {
            metadata["annotations"] = new ObjectMap(annotations.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)));
        }

        return NotificationController.GetDestinations(new ObjectMap { ["metadata"] = metadata }, project, Config);
    }
}
