using Lookout.Notifications.Configuration;
using Lookout.Notifications.State;
using Lookout.Values;

namespace Lookout.Notifications.Tests;

/// <summary>Each trigger of Argo CD's built-in catalog, run through the controller over a state sequence.</summary>
public sealed class CatalogTriggerTests
{
    private static readonly NotificationConfig Config = TestConfigs.Parse(new Dictionary<string, string>());
    private readonly NotificationController controller = new(TimeProvider.System);

    /// <summary>(trigger, the state that fires it, a state that does not).</summary>
    public static TheoryData<string, App, App> Sequences() => new()
    {
        { "on-sync-running", new App(Phase: "Running"), new App(Phase: null) },
        { "on-sync-succeeded", new App(Phase: "Succeeded"), new App(Phase: "Running") },
        { "on-sync-failed", new App(Phase: "Failed"), new App(Phase: "Running") },
        { "on-deployed", new App(Phase: "Succeeded", Health: "Healthy"), new App(Phase: "Running") },
        { "on-health-degraded", new App(Phase: "Running", Health: "Degraded"), new App(Phase: "Running", Health: "Healthy") },
        { "on-sync-status-unknown", new App(Phase: "Running", Sync: "Unknown"), new App(Phase: "Running", Sync: "Synced") },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void CatalogTrigger_FiresOncePerRevision_AndFiresAgainForANewRevision(string trigger, App fires, App quiet)
    {
        var state = NotifiedState.Empty();
        Assert.Single(Run(trigger, fires with { Revision = "r1" }, ref state));
        Assert.Empty(Run(trigger, fires with { Revision = "r1" }, ref state));
        Assert.Empty(Run(trigger, quiet with { Revision = "r1" }, ref state));

        // The catalog's conditions carry oncePer (the revision): the same revision is never sent twice…
        Assert.Empty(Run(trigger, fires with { Revision = "r1" }, ref state));

        // …and a new revision is a new notification.
        Assert.Single(Run(trigger, fires with { Revision = "r2" }, ref state));
    }

    [Fact]
    public void OnCreated_FiresOncePerApplicationName()
    {
        var state = NotifiedState.Empty();
        Assert.Single(Run("on-created", new App(), ref state));
        Assert.Empty(Run("on-created", new App(Phase: "Running"), ref state));
        Assert.Empty(Run("on-created", new App(Health: "Degraded"), ref state));
    }

    [Fact]
    public void OnDeleted_FiresOncePerApplicationName_WhenDeletionStarts()
    {
        var state = NotifiedState.Empty();
        Assert.Empty(Run("on-deleted", new App(), ref state));
        Assert.Single(Run("on-deleted", new App(Deleting: true), ref state));
        Assert.Empty(Run("on-deleted", new App(Deleting: true, Revision: "r2"), ref state));
    }

    [Fact]
    public void ConditionWithoutOncePer_ReArmsWhenItBecomesFalse()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            ["trigger.on-out-of-sync"] = "- when: app.status.sync.status == 'OutOfSync'\n  send: [app-sync-status-unknown]\n",
        });
        var state = NotifiedState.Empty();
        Assert.Single(Run("on-out-of-sync", new App(Sync: "OutOfSync"), ref state, config));
        Assert.Empty(Run("on-out-of-sync", new App(Sync: "OutOfSync"), ref state, config));
        Assert.Empty(Run("on-out-of-sync", new App(Sync: "Synced"), ref state, config));
        Assert.Single(Run("on-out-of-sync", new App(Sync: "OutOfSync"), ref state, config));
    }

    [Fact]
    public void CompletedOperation_NotYetRefreshed_IsSkipped_UntilReconciledAfterIt()
    {
        var state = NotifiedState.Empty();
        App stale = new(Phase: "Succeeded", Health: "Healthy", ReconciledAt: "2026-11-24T10:00:00Z");
        ProcessResult skipped = controller.Process("Application", stale.ToObject("on-deployed"), null, Config, state);
        Assert.Equal("sync status out of date", skipped.SkipReason);
        Assert.Empty(skipped.Notifications);
        Assert.Single(Run("on-deployed", stale with { ReconciledAt = "2026-11-24T10:02:00Z" }, ref state));
    }

    [Fact]
    public void Notification_RendersTheCatalogTemplateForTheService()
    {
        var state = NotifiedState.Empty();
        PlannedNotification n = Assert.Single(Run("on-deployed", new App(Phase: "Succeeded", Health: "Healthy"), ref state));
        Assert.Equal(["app-deployed"], n.Condition.Templates);
        Assert.Contains("Application guestbook is now running new version", n.Notification.Message, StringComparison.Ordinal);
        Assert.Equal("New version of an application guestbook is up and running.", n.Notification.Field("email", "subject"));
    }

    private List<PlannedNotification> Run(string trigger, App app, ref NotifiedState state, NotificationConfig? config = null)
    {
        ProcessResult result = controller.Process("Application", app.ToObject(trigger), null, config ?? Config, state);
        Assert.Null(result.SkipReason);
        Assert.Empty(result.Errors);
        state = result.State;
        return [.. result.Notifications];
    }

    /// <summary>An Application in some state.</summary>
    public sealed record App(string? Phase = null, string Sync = "Synced", string Health = "Healthy", string Revision = "r1", bool Deleting = false, string ReconciledAt = "2026-11-24T10:05:00Z")
    {
        public ObjectMap ToObject(string subscribedTrigger)
        {
            string operation = Phase is null ? string.Empty : $"""
                  operationState:
                    phase: {Phase}
                    startedAt: '2026-11-24T10:01:00Z'
                    finishedAt: '2026-11-24T10:01:30Z'
                    syncResult:
                      revision: {Revision}
                """;
            return TestConfigs.Object($"""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: guestbook
                  namespace: argocd
                  uid: 6f0c-guestbook
                  annotations:
                    notifications.argoproj.io/subscribe.{subscribedTrigger}.slack: deployments
                {(Deleting ? "  deletionTimestamp: '2026-11-24T10:09:00Z'" : string.Empty)}
                spec:
                  project: default
                  source:
                    repoURL: https://github.com/argoproj/argocd-example-apps
                status:
                  reconciledAt: '{ReconciledAt}'
                  sync:
                    status: {Sync}
                    revision: {Revision}
                  health:
                    status: {Health}
                    lastTransitionTime: '2026-11-24T10:01:00Z'
                {operation}
                """);
        }
    }
}
