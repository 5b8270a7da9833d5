using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Watcher.Kubernetes;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.State;

namespace Lookout.Watcher.Tests.Kubernetes;

public sealed class ResourceWatcherTests
{
    private const string Apps = "applications";
    private const string Rollouts = "rollouts";

    private static string[] Describe(IEnumerable<OutgoingEvent> events) => [.. events.Select(RecordingPublisher.Describe)];

    [Fact]
    public async Task SequenceOfChanges_ArrivesAsExactlyThoseEvents_InOrder()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert(Apps, Objects.Application("a", "OutOfSync", "Progressing"));
        await h.StartWatchingAsync(WatchedKind.Application);
        await h.Publisher.WaitForAsync(1);

        h.Server.Upsert(Apps, Objects.Application("a", "Synced", "Progressing"));
        h.Server.Upsert(Apps, Objects.Application("b", "Synced", "Healthy"));
        h.Server.Upsert(Apps, Objects.Application("a", "Synced", "Healthy"));
        h.Server.Delete(Apps, "argocd", "b");

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(5);
        Assert.Equal(
            [
                "app argocd/a OutOfSync/Progressing resync",
                "app argocd/a Synced/Progressing",
                "app argocd/b Synced/Healthy",
                "app argocd/a Synced/Healthy",
                "deleted Application argocd/b",
            ],
            Describe(events));
        var changed = (ApplicationChanged)events[1].Message;
        Assert.Equal("test", changed.Object.Cluster);
        Assert.Equal(MessageIds.ForObjectVersion("Application", changed.Object.Uid, changed.ResourceVersion), events[1].MessageId);
        Assert.Equal("Progressing", changed.Body.GetProperty("status").GetProperty("health").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rollouts_AreSummarizedWithPhaseStepAndPauseReasons()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Rollout);
        JsonObject paused = Objects.Rollout("r", "Paused", 1);
        paused["status"]!["pauseConditions"] = new JsonArray(new JsonObject { ["reason"] = "CanaryPauseStep" });
        h.Server.Upsert(Rollouts, paused);

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(1);
        var rollout = Assert.IsType<RolloutChanged>(events[0].Message);
        Assert.Equal("Paused", rollout.Summary.Phase);
        Assert.Equal(1, rollout.Summary.CurrentStepIndex);
        Assert.Equal(["CanaryPauseStep"], rollout.Summary.PauseReasons);
        Assert.Equal("1", rollout.Summary.Revision);
        Assert.Equal(1, rollout.Generation);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedWatch_ResumesFromLastVersion_WithNoLossAndNoDuplicate(bool abort)
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("a", "OutOfSync"));
        await h.Publisher.WaitForAsync(1);

        // Changes made while the connection is down must arrive after the resume, once each.
        h.Server.Pause();
        h.Server.Upsert(Apps, Objects.Application("a", "Synced"));
        h.Server.DropWatches(abort);
        h.Server.Upsert(Apps, Objects.Application("b"));
        h.Server.Resume();
        h.Server.Upsert(Apps, Objects.Application("c"));

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(4);
        Assert.Equal(["app argocd/a OutOfSync/Healthy", "app argocd/a Synced/Healthy", "app argocd/b Synced/Healthy", "app argocd/c Synced/Healthy"], Describe(events));
        Assert.Equal(events.Count, events.Select(e => e.MessageId).Distinct().Count());
        Assert.Equal(1, h.Server.RequestCount("list", Apps));
        Assert.Equal(2, h.Server.RequestCount("watch", Apps));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gone410_RelistsAndPublishesOnlyWhatChanged_LosingNothing(bool asHttpStatus)
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.ExpiredAsHttpStatus = asHttpStatus;
        h.Server.Upsert(Apps, Objects.Application("stays"));
        h.Server.Upsert(Apps, Objects.Application("changes", "OutOfSync"));
        h.Server.Upsert(Apps, Objects.Application("goes"));
        await h.StartWatchingAsync(WatchedKind.Application);
        await h.Publisher.WaitForAsync(3);

        // While the watch is blind, history is compacted: the resume gets 410 and the watcher must re-list.
        h.Server.Pause();
        h.Server.Upsert(Apps, Objects.Application("changes", "Synced"));
        h.Server.Delete(Apps, "argocd", "goes");
        h.Server.Upsert(Apps, Objects.Application("new"));
        h.Server.Upsert(Apps, Objects.Application("stays")); // noise only: same content, new resourceVersion
        h.Server.Compact();
        h.Server.DropWatches();
        h.Server.Resume();

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(6);
        Assert.Equal(
            ["app argocd/changes Synced/Healthy resync", "app argocd/new Synced/Healthy resync", "deleted Application argocd/goes"],
            Describe(events.Skip(3)).Order(StringComparer.Ordinal));
        Assert.Equal(2, h.Server.RequestCount("list", Apps));

        // And the watch goes on after the re-list.
        h.Server.Upsert(Apps, Objects.Application("after"));
        Assert.Equal("app argocd/after Synced/Healthy", RecordingPublisher.Describe((await h.Publisher.WaitForAsync(7))[6]));
    }

    [Fact]
    public async Task NoiseOnlyUpdates_PublishNothing()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("a"));
        await h.Publisher.WaitForAsync(1);

        JsonObject noisy = Objects.Application("a");
        noisy["status"]!["reconciledAt"] = "2026-02-02T00:00:00Z";
        noisy["status"]!["observedAt"] = "2026-02-02T00:00:01Z";
        noisy["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "argocd-application-controller" });
        noisy["metadata"]!["generation"] = 7;
        h.Server.Upsert(Apps, noisy);
        h.Server.Upsert(Apps, Objects.Application("a")); // resourceVersion alone

        // A real change after the noise is the next event: nothing was published in between.
        JsonObject labelled = Objects.Application("a");
        labelled["metadata"]!["labels"]!["tier"] = "gold";
        h.Server.Upsert(Apps, labelled);
        JsonObject annotated = Objects.Application("a");
        annotated["metadata"]!["labels"]!["tier"] = "gold";
        annotated["metadata"]!["annotations"] = new JsonObject { ["note"] = "x" };
        h.Server.Upsert(Apps, annotated);

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(3);
        await h.Server.WaitForWatchesAsync(1, TimeSpan.FromSeconds(5));
        Assert.Equal(3, events.Count);
        var third = (ApplicationChanged)events[2].Message;
        Assert.Equal("x", third.Body.GetProperty("metadata").GetProperty("annotations").GetProperty("note").GetString());
        Assert.Equal(h.Server.CurrentResourceVersion, third.ResourceVersion);
    }

    [Fact]
    public async Task RefreshThatCatchesUpWithTheLastOperation_IsPublished_OtherRefreshesAreNoise()
    {
        // Argo CD's notifications skip an Application whose operation finished after its latest refresh; the refresh
        // that makes it current must reach the notifier, or the sync's notification never comes.
        static JsonObject At(string reconciledAt, string? note = null)
        {
            JsonObject app = Objects.Application("a");
            app["status"]!["operationState"] = new JsonObject { ["phase"] = "Succeeded", ["finishedAt"] = "2026-02-02T10:00:00Z" };
            app["status"]!["reconciledAt"] = reconciledAt;
            if (note is not null)
            {
                app["metadata"]!["annotations"] = new JsonObject { ["note"] = note };
            }

            return app;
        }

        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, At("2026-02-02T09:59:00Z")); // out of date: published (the notifier skips it)
        h.Server.Upsert(Apps, At("2026-02-02T09:59:30Z")); // still out of date: noise
        h.Server.Upsert(Apps, At("2026-02-02T10:00:05Z")); // refreshed after the operation: published
        h.Server.Upsert(Apps, At("2026-02-02T10:03:05Z")); // later refreshes: noise
        h.Server.Upsert(Apps, At("2026-02-02T10:03:05Z", note: "x")); // a real change: the next event

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(3);
        await h.Server.WaitForWatchesAsync(1, TimeSpan.FromSeconds(5));
        Assert.Equal(3, events.Count);
        string ReconciledAt(int i) => ((ApplicationChanged)events[i].Message).Body.GetProperty("status").GetProperty("reconciledAt").GetString()!;
        Assert.Equal(["2026-02-02T09:59:00Z", "2026-02-02T10:00:05Z", "2026-02-02T10:03:05Z"], [ReconciledAt(0), ReconciledAt(1), ReconciledAt(2)]);
        Assert.True(((ApplicationChanged)events[2].Message).Body.GetProperty("metadata").TryGetProperty("annotations", out _));
    }

    [Theory]
    [InlineData("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"broken","namespace":"argocd","uid":"u-1"},"spec":"garbage"}""", "Application argocd/broken")]
    [InlineData("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":42,"namespace":"argocd","uid":"u-2"}}""", "Application argocd/42")]
    [InlineData("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"no-uid","namespace":"argocd"}}""", "Application argocd/no-uid")]
    public async Task UndecodableObject_IsLoggedWithItsNameAndSkipped_WhileTheRestFlows(string raw, string expectedName)
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("before"));
        h.Server.InjectRaw(Apps, "MODIFIED", raw);
        h.Server.Upsert(Apps, Objects.Application("after"));

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);
        Assert.Equal(["app argocd/before Synced/Healthy", "app argocd/after Synced/Healthy"], Describe(events));
        Assert.Contains(h.Logger.Messages, m => m.Contains(expectedName, StringComparison.Ordinal) && m.Contains("cannot decode", StringComparison.Ordinal));
        Assert.Equal(1, h.Server.RequestCount("watch", Apps));
    }

    [Fact]
    public async Task Bookmark_AdvancesResourceVersion_SoAResumeAfterCompactionNeedsNoRelist()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert(Rollouts, Objects.Rollout("other-kind-moves-the-version"));
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("a"));
        await h.Publisher.WaitForAsync(1);
        h.Server.Upsert(Rollouts, Objects.Rollout("r2"));
        string latest = h.Server.CurrentResourceVersion;

        h.Server.SendBookmarks();
        h.Server.Upsert(Apps, Objects.Application("b")); // arrives after the bookmark on the same stream
        await h.Publisher.WaitForAsync(2);
        Assert.True(long.Parse(h.Watcher!.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(latest, System.Globalization.CultureInfo.InvariantCulture));

        h.Server.Compact();
        h.Server.DropWatches();
        await h.Server.WaitForWatchesAsync(1, TimeSpan.FromSeconds(20));
        h.Server.Upsert(Apps, Objects.Application("c"));
        await h.Publisher.WaitForAsync(3);
        Assert.Equal(1, h.Server.RequestCount("list", Apps));
    }

    [Fact]
    public async Task BlockingPublisher_StopsTheWatchReading_AndNothingIsLost()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("first"));
        await h.Publisher.WaitForAsync(1);
        string beforeBlock = h.Watcher!.ResourceVersion!;

        h.Publisher.Gate = release.Task;
        for (int i = 0; i < 20; i++)
        {
            h.Server.Upsert(Apps, Objects.Application($"app-{i:D2}"));
        }

        await h.Publisher.Blocked.WaitAsync(TimeSpan.FromSeconds(20));

        // Held at the first blocked event: the watcher has not moved past it nor read further.
        Assert.Equal(beforeBlock, h.Watcher.ResourceVersion);
        Assert.Single(h.Publisher.Events);

        release.SetResult();
        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(21);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"app argocd/app-{i:D2} Synced/Healthy"), Describe(events.Skip(1)));
    }

    [Fact]
    public async Task NamespaceAndLabelSelector_LimitWhatIsWatched()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        JsonObject otherTeam = Objects.Application("other-team");
        otherTeam["metadata"]!["labels"]!["team"] = "search";
        h.Server.Upsert(Apps, otherTeam);
        h.Server.Upsert(Apps, Objects.Application("elsewhere", ns: "team-b"));
        h.Server.Upsert(Apps, Objects.Application("mine"));
        await h.StartWatchingAsync(WatchedKind.Application, "argocd", "team=payments");
        h.Server.Upsert(Apps, Objects.Application("elsewhere-2", ns: "team-b"));
        h.Server.Upsert(Apps, otherTeam);
        h.Server.Upsert(Apps, Objects.Application("mine-2"));

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);
        Assert.Equal(["app argocd/mine Synced/Healthy resync", "app argocd/mine-2 Synced/Healthy"], Describe(events));
    }

    /// <summary>An Application whose spec nests <paramref name="depth"/> levels below the object (as raw text: nothing here parses it).</summary>
    private static string DeepApplication(string name, int depth)
    {
        var text = new System.Text.StringBuilder();
        text.Append("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Application\",\"metadata\":{\"name\":\"").Append(name)
            .Append("\",\"namespace\":\"argocd\",\"uid\":\"uid-").Append(name).Append("\",\"resourceVersion\":\"__RV__\"},\"spec\":");
        for (int i = 0; i < depth; i++)
        {
            text.Append("{\"n\":");
        }

        text.Append('1').Append('}', depth);
        text.Append(",\"status\":{\"sync\":{\"status\":\"Synced\"},\"health\":{\"status\":\"Healthy\"}}}");
        return text.ToString();
    }

    [Fact]
    public async Task DeepObjects_AtListTime_AreDecodedOneByOne_OnlyTheOneBeyondTheApiServersLimitIsSkipped()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert(Apps, Objects.Application("a"));
        h.Server.UpsertRaw(Apps, "argocd", "deep", DeepApplication("deep", 200));
        h.Server.UpsertRaw(Apps, "argocd", "too-deep", DeepApplication("too-deep", ObjectDecoder.MaxDepth + 1));
        h.Server.Upsert(Apps, Objects.Application("z"));
        await h.StartWatchingAsync(WatchedKind.Application);

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(3);
        Assert.Equal(
            ["app argocd/a Synced/Healthy resync", "app argocd/deep Synced/Healthy resync", "app argocd/z Synced/Healthy resync"],
            Describe(events).Order(StringComparer.Ordinal));
        Assert.Equal(1, h.Metrics.DecodeFailures.WithLabels("Application").Value);
        Assert.Contains(h.Logger.Messages, m => m.Contains($"Skipped Application argocd/too-deep: cannot decode it (nested deeper than {ObjectDecoder.MaxDepth} levels)", StringComparison.Ordinal));

        // The watch goes on from the list: a later change arrives with no re-list and no reconnect.
        h.Server.Upsert(Apps, Objects.Application("later"));
        Assert.Equal("app argocd/later Synced/Healthy", RecordingPublisher.Describe((await h.Publisher.WaitForAsync(4))[3]));
        Assert.Equal(1, h.Server.RequestCount("list", Apps));
        Assert.Equal(1, h.Server.RequestCount("watch", Apps));
    }

    [Fact]
    public async Task DeepObjects_DuringAWatch_AreDecodedOrSkippedByName_WithoutAReconnect()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        await h.StartWatchingAsync(WatchedKind.Application);
        h.Server.Upsert(Apps, Objects.Application("before"));
        h.Server.UpsertRaw(Apps, "argocd", "deep", DeepApplication("deep", 200));
        h.Server.UpsertRaw(Apps, "argocd", "too-deep", DeepApplication("too-deep", ObjectDecoder.MaxDepth + 1));
        h.Server.Upsert(Apps, Objects.Application("after"));

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(3);
        Assert.Equal(["app argocd/before Synced/Healthy", "app argocd/deep Synced/Healthy", "app argocd/after Synced/Healthy"], Describe(events));
        Assert.Equal(1, h.Metrics.DecodeFailures.WithLabels("Application").Value);
        Assert.Contains(h.Logger.Messages, m => m.Contains("Skipped Application argocd/too-deep", StringComparison.Ordinal));
        Assert.Equal(1, h.Server.RequestCount("watch", Apps));
    }

    [Fact]
    public async Task ObjectsPublishedByAnEarlierLeader_AndGoneNow_ArePublishedAsDeleted_WithoutABody()
    {
        await using WatcherHarness h = await WatcherHarness.StartServerAsync();
        h.Server.Upsert(Apps, Objects.Application("stays"));
        string staysUid = (string)h.Server.Get(Apps, "argocd", "stays")!["metadata"]!["uid"]!;
        h.State = new PublishedState();
        h.State.Load(
        [
            new PublishedObject("Application", "argocd", "stays", staysUid, "101"),
            new PublishedObject("Application", "argocd", "gone", "uid-gone", "99"),
            new PublishedObject("Rollout", "argocd", "other-kind", "uid-rollout", "98"),
        ]);
        await h.StartWatchingAsync(WatchedKind.Application);

        IReadOnlyList<OutgoingEvent> events = await h.Publisher.WaitForAsync(2);
        Assert.Equal(["app argocd/stays Synced/Healthy resync", "deleted Application argocd/gone"], Describe(events));
        var deleted = Assert.IsType<ObjectDeleted>(events[1].Message);
        Assert.Equal(new ObjectIdentity("test", "argocd", "gone", "uid-gone"), deleted.Object);
        Assert.Equal("99", deleted.ResourceVersion);
        Assert.Null(deleted.LastKnownBody);
        Assert.Equal(MessageIds.ForObjectVersion("ApplicationDeleted", "uid-gone", "99"), events[1].MessageId);

        // The record now holds what this watcher published: the survivor and the other kind's object.
        Assert.Equal(["other-kind", "stays"], h.State.Snapshot().Select(o => o.Name).Order(StringComparer.Ordinal));
    }
}
