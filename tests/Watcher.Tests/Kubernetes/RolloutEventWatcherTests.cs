using System.Globalization;
using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Publishing;

namespace Lookout.Watcher.Tests.Kubernetes;

public sealed class RolloutEventWatcherTests
{
    private const string Events = "events";

    private static string[] Describe(IEnumerable<OutgoingEvent> events) => [.. events.Select(RecordingPublisher.Describe)];

    private static JsonObject Event(string name, string reason, string involvedKind, string involvedName, string? involvedUid, int count, DateTimeOffset last, string type = "Normal") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "argocd" },
        ["involvedObject"] = new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = involvedKind,
            ["name"] = involvedName,
            ["namespace"] = "argocd",
            ["uid"] = involvedUid,
        },
        ["reason"] = reason,
        ["message"] = $"{reason} happened",
        ["type"] = type,
        ["count"] = count,
        ["firstTimestamp"] = last.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["lastTimestamp"] = last.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["source"] = new JsonObject { ["component"] = "rollouts-controller" },
    };

    [Fact]
    public async Task EachOccurrence_IsPublishedOnce_AcrossUpdatesAndRelists_WithTheRolloutAsWatched()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert("rollouts", Objects.Rollout("r"));
        string rolloutUid = (string)h.Server.Get("rollouts", "argocd", "r")!["metadata"]!["uid"]!;
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // Before the watcher: an hour-old Event is history; a recent one fell in a restart's gap and is published.
        h.Server.Upsert(Events, Event("r.old", "RolloutUpdated", "Rollout", "r", rolloutUid, 1, now.AddHours(-1)));
        h.Server.Upsert(Events, Event("r.recent", "RolloutPaused", "Rollout", "r", rolloutUid, 1, now));
        h.Server.Upsert(Events, Event("pod.x", "Scheduled", "Pod", "x", "pod-uid", 1, now));

        var bodies = new ObjectBodies();
        await h.StartWatchingAsync(WatchedKind.Rollout, bodies: bodies);
        await h.StartWatchingEventsAsync(bodies);
        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);
        Assert.Equal(["rollout argocd/r Healthy step=0 resync", "event RolloutPaused on Rollout argocd/r count=1 rollout=r"], Describe(events));

        JsonObject completed = Event("r.done", "RolloutCompleted", "Rollout", "r", rolloutUid, 1, now);
        h.Server.Upsert(Events, completed);
        h.Server.Upsert(Events, Event("r.done", "RolloutCompleted", "Rollout", "r", rolloutUid, 1, now)); // an update that counts nothing new
        h.Server.Upsert(Events, Event("r.done", "RolloutCompleted", "Rollout", "r", rolloutUid, 2, now)); // it happened again
        events = await h.Publisher.WaitForAsync(4);

        // A 410 re-list restates nothing already published (an Event no watch shows moves the history past both watches).
        h.Server.Upsert(Events, Event("pod.y", "Scheduled", "Pod", "y", "pod-uid", 1, now));
        h.Server.Compact();
        h.Server.DropWatches();
        await h.Server.WaitForRequestsAsync("list", Events, 4, TimeSpan.FromSeconds(20));
        h.Server.Upsert(Events, Event("r.step", "RolloutStepCompleted", "Rollout", "r", rolloutUid, 1, now));
        events = await h.Publisher.WaitForAsync(5);

        Assert.Equal(
            [
                "rollout argocd/r Healthy step=0 resync",
                "event RolloutPaused on Rollout argocd/r count=1 rollout=r",
                "event RolloutCompleted on Rollout argocd/r count=1 rollout=r",
                "event RolloutCompleted on Rollout argocd/r count=2 rollout=r",
                "event RolloutStepCompleted on Rollout argocd/r count=1 rollout=r",
            ],
            Describe(events));
        var first = (RolloutEventRecorded)events[2].Message;
        Assert.Equal(new ObjectIdentity("test", "argocd", "r", rolloutUid), first.Rollout);
        Assert.Equal(RolloutEventWatcher.IdOf(first.EventUid, 1), events[2].MessageId);
        Assert.NotEqual(events[2].MessageId, events[3].MessageId);
        Assert.Equal("Rollout/" + rolloutUid, events[2].ObjectKey);
        Assert.Equal("Healthy", first.ObjectBody!.Value.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal("rollouts-controller", first.Component);
        Assert.Equal("RolloutCompleted happened", first.Message);
    }

    [Fact]
    public async Task AnAnalysisRunsEvent_IsOrderedByItsOwnerRollout_AndCarriesTheRun()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert("rollouts", Objects.Rollout("r"));
        string rolloutUid = (string)h.Server.Get("rollouts", "argocd", "r")!["metadata"]!["uid"]!;
        h.Server.Upsert("analysisruns", new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "AnalysisRun",
            ["metadata"] = new JsonObject
            {
                ["name"] = "r-abc-1",
                ["namespace"] = "argocd",
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "argoproj.io/v1alpha1", ["kind"] = "Rollout", ["name"] = "r", ["uid"] = rolloutUid }),
            },
            ["status"] = new JsonObject { ["phase"] = "Failed" },
        });
        var bodies = new ObjectBodies();
        await h.StartWatchingAsync(WatchedKind.Rollout, bodies: bodies);
        await h.StartWatchingEventsAsync(bodies);
        await h.Publisher.WaitForAsync(1);

        h.Server.Upsert(Events, Event("run.failed", "AnalysisRunFailed", "AnalysisRun", "r-abc-1", "run-uid", 1, DateTimeOffset.UtcNow, "Warning"));
        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);

        var recorded = Assert.IsType<RolloutEventRecorded>(events[1].Message);
        Assert.Equal("event AnalysisRunFailed on AnalysisRun argocd/r-abc-1 count=1 rollout=r", RecordingPublisher.Describe(events[1]));
        Assert.Equal(rolloutUid, recorded.Rollout.Uid);
        Assert.Equal("Warning", recorded.Type);
        Assert.Equal("Failed", recorded.ObjectBody!.Value.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task ARolloutsEvent_CarriesItsCurrentAnalysisRuns_NewestFirst()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        JsonObject rollout = Objects.Rollout("r");
        rollout["status"]!["currentPodHash"] = "h1";
        h.Server.Upsert("rollouts", rollout);
        string rolloutUid = (string)h.Server.Get("rollouts", "argocd", "r")!["metadata"]!["uid"]!;
        foreach ((string name, string hash, string revision, string created) in new[]
        {
            ("r-h1-1-a", "h1", "1", "2026-01-01T00:00:00Z"), ("r-h1-1-b", "h1", "1", "2026-01-02T00:00:00Z"),
            ("r-h1-2", "h1", "2", "2026-01-03T00:00:00Z"), ("r-h2-1", "h2", "1", "2026-01-04T00:00:00Z"),
        })
        {
            h.Server.Upsert("analysisruns", new JsonObject
            {
                ["apiVersion"] = "argoproj.io/v1alpha1",
                ["kind"] = "AnalysisRun",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = "argocd",
                    ["creationTimestamp"] = created,
                    ["labels"] = new JsonObject { ["rollouts-pod-template-hash"] = hash },
                    ["annotations"] = new JsonObject { ["rollout.argoproj.io/revision"] = revision },
                },
            });
        }

        var bodies = new ObjectBodies();
        await h.StartWatchingAsync(WatchedKind.Rollout, bodies: bodies);
        await h.StartWatchingEventsAsync(bodies);
        await h.Publisher.WaitForAsync(1);
        h.Server.Upsert(Events, Event("r.step", "RolloutStepCompleted", "Rollout", "r", rolloutUid, 1, DateTimeOffset.UtcNow));
        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);

        var recorded = Assert.IsType<RolloutEventRecorded>(events[1].Message);
        Assert.Equal(["r-h1-1-b", "r-h1-1-a"], recorded.AnalysisRuns!.Value.EnumerateArray().Select(r => r.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData(true, true, 2)]
    [InlineData(true, false, 0)]
    [InlineData(false, true, 0)]
    public void Scopes_FollowTheOptions(bool rollouts, bool events, int expected)
    {
        var options = new WatcherOptions { WatchRollouts = rollouts, WatchRolloutEvents = events };
        IReadOnlyList<WatchScope> scopes = RolloutEventWatcher.Scopes(options);
        Assert.Equal(expected, scopes.Count);
        Assert.All(scopes, s => Assert.StartsWith("involvedObject.kind=", s.FieldSelector, StringComparison.Ordinal));
    }
}
