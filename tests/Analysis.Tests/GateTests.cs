using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analyzer.Gate;
using Lookout.Analyzer.Kubernetes;
using Lookout.Analyzer.Runs;
using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using Lookout.Values;
using Lookout.Watcher;
using Lookout.Watcher.Verdicts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lookout.Analysis.Tests;

/// <summary>Gate mode end to end: a Rollout paused at its gate, a run, a verdict on the bus, the watcher's patch.</summary>
public sealed class GateTests
{
    private const string Hash = "6c9f7d8b5";

    private static JsonObject BlueGreen(string url) => JsonNode.Parse($$$$"""
        {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
         "metadata":{"name":"bluegreen-demo","namespace":"default","annotations":{
            "analysis.lookout.io/templates":"preview-check","analysis.lookout.io/arg.url":"{{{{url}}}}"}},
         "spec":{"strategy":{"blueGreen":{"activeService":"a","previewService":"p","autoPromotionEnabled":false}}},
         "status":{"currentPodHash":"{{{{Hash}}}}","stableRS":"5f4","controllerPause":true,
            "pauseConditions":[{"reason":"BlueGreenPause","startTime":"2026-01-01T00:00:00Z"}]}}
        """)!.AsObject();

    private static JsonObject Canary(int step) => JsonNode.Parse($$$$"""
        {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
         "metadata":{"name":"canary-with-analysis","namespace":"default","annotations":{"analysis.lookout.io/templates":"preview-check"}},
         "spec":{"strategy":{"canary":{"steps":[{"setWeight":20},{"pause":{}},{"setWeight":40},{"pause":{"duration":"30s"}}]}}},
         "status":{"currentPodHash":"{{{{Hash}}}}","stableRS":"5f4","currentStepIndex":{{{{step}}}},"controllerPause":true,
            "pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2026-01-01T00:00:00Z"}]}}
        """)!.AsObject();

    private const string Template = """
        {"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisTemplate",
         "metadata":{"name":"preview-check","namespace":"default"},
         "spec":{"args":[{"name":"url"}],"metrics":[{"name":"preview","successCondition":"result == \"ok\"",
            "provider":{"web":{"url":"{{args.url}}","jsonPath":"{$.state}"}}}]}}
        """;

    [Fact]
    public void GatePoint_BlueGreenAwaitingPromotion_AndCanaryAtAPauseStep()
    {
        GatePoint? bg = GatePoint.Of((ObjectMap)ObjectModel.FromJson(BlueGreen("http://x").ToJsonString())!);
        Assert.NotNull(bg);
        Assert.Null(bg.Step);
        Assert.Equal(Hash, bg.PodTemplateHash);
        Assert.Equal("http://x", Assert.Single(bg.Args).Value);

        Assert.Equal(1, GatePoint.Of((ObjectMap)ObjectModel.FromJson(Canary(1).ToJsonString())!)?.Step);
        Assert.Null(GatePoint.Of((ObjectMap)ObjectModel.FromJson(Canary(0).ToJsonString())!));

        JsonObject noOptIn = BlueGreen("x");
        noOptIn["metadata"]!["annotations"] = new JsonObject();
        Assert.Null(GatePoint.Of((ObjectMap)ObjectModel.FromJson(noOptIn.ToJsonString())!));
    }

    [Fact]
    public void VerdictId_ComesFromUidHashAndStep()
    {
        Assert.Equal(VerdictRulesId("u", "h", 1), VerdictRulesId("u", "h", 1));
        Assert.NotEqual(VerdictRulesId("u", "h", 1), VerdictRulesId("u", "h", 3));
        Assert.NotEqual(VerdictRulesId("u", "h", null), VerdictRulesId("u", "h2", null));
    }

    [Fact]
    public void PromotePatches_AreTheKubectlPlugins()
    {
        RolloutVotes.Patches bg = RolloutVotes.Promote(BlueGreen("x"));
        Assert.Null(bg.Spec);
        Assert.Equal("""{"status":{"pauseConditions":null}}""", bg.Status);
        Assert.Equal("""{"spec":{"paused":false},"status":{"pauseConditions":null}}""", bg.Unified);

        JsonObject manual = Canary(1);
        manual["spec"]!["paused"] = true;
        manual["status"]!["pauseConditions"] = new JsonArray();
        RolloutVotes.Patches c = RolloutVotes.Promote(manual);
        Assert.Equal("""{"spec":{"paused":false}}""", c.Spec);
        Assert.Equal("""{"status":{"pauseConditions":null, "currentStepIndex":2}}""", c.Status);

        JsonObject inconclusive = Canary(1);
        inconclusive["status"]!["canary"] = JsonNode.Parse("""{"currentStepAnalysisRunStatus":{"status":"Inconclusive"}}""");
        Assert.Equal("""{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":2}}""", RolloutVotes.Promote(inconclusive).Status);
    }

    [Fact]
    public async Task BlueGreen_HealthyPreview_IsPromotedEndToEnd_WithAnEvent()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint preview = await LocalEndpoint.StartAsync();
        preview.Body = """{"state":"ok"}""";
        api.Upsert("analysistemplates", Template);
        string uid = Uid(api, "rollouts", BlueGreen(preview.Url));
        await using var world = await World.StartAsync(api, voteOnly: false);

        world.Gate.Observe(Changed(api, "bluegreen-demo", uid));
        await api.WaitForRequestsAsync("patch", "rollouts", 1, TimeSpan.FromSeconds(30));
        await api.WaitForRequestsAsync("create", "events", 1, TimeSpan.FromSeconds(30));

        RecordedPatch patch = Assert.Single(api.Patches);
        Assert.Equal("""{"status":{"pauseConditions":null}}""", patch.Body);
        Assert.Equal("application/merge-patch+json", patch.ContentType.Split(';')[0]);
        JsonObject rollout = api.Get("rollouts", "default", "bluegreen-demo")!;
        Assert.Null(rollout["status"]!["pauseConditions"]);
        Assert.Single(world.Registry.List(), r => r.Phase == AnalysisPhase.Successful);
    }

    [Fact]
    public async Task Canary_FailingCheck_IsAbortedEndToEnd()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint preview = await LocalEndpoint.StartAsync();
        preview.Body = """{"state":"broken"}""";
        api.Upsert("analysistemplates", Template.Replace("\"args\":[{\"name\":\"url\"}]", $"\"args\":[{{\"name\":\"url\",\"value\":\"{preview.Url}\"}}]", StringComparison.Ordinal));
        string uid = Uid(api, "rollouts", Canary(1));
        await using var world = await World.StartAsync(api, voteOnly: false);

        world.Gate.Observe(Changed(api, "canary-with-analysis", uid));
        await api.WaitForRequestsAsync("patch", "rollouts", 1, TimeSpan.FromSeconds(30));
        Assert.Equal("""{"status":{"abort":true}}""", Assert.Single(api.Patches).Body);
    }

    [Fact]
    public async Task StaleVerdict_IsDropped_AndVoteOnlyDoesNotPatch()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        string uid = Uid(api, "rollouts", Canary(1));
        var consumer = Consumer(api, voteOnly: false);

        string stale = await consumer.ApplyAsync(Verdict(uid, "otherhash", 1, Contracts.Verdict.Promote), CancellationToken.None);
        Assert.StartsWith("stale: the Rollout is at pod-template hash", stale, StringComparison.Ordinal);
        string wrongStep = await consumer.ApplyAsync(Verdict(uid, Hash, 3, Contracts.Verdict.Abort), CancellationToken.None);
        Assert.StartsWith("stale: the Rollout is at step 1", wrongStep, StringComparison.Ordinal);
        string shadow = await consumer.ApplyAsync(Verdict(uid, Hash, 1, Contracts.Verdict.Abort) with { Mode = AnalysisModes.Shadow }, CancellationToken.None);
        Assert.Equal("not a gate verdict", shadow);
        string request = await consumer.ApplyAsync(Verdict(uid, Hash, 1, Contracts.Verdict.Promote) with { Mode = AnalysisModes.Request, RequestId = Guid.NewGuid() }, CancellationToken.None);
        Assert.Equal("not a gate verdict", request);

        string voteOnly = await Consumer(api, voteOnly: true).ApplyAsync(Verdict(uid, Hash, 1, Contracts.Verdict.Abort), CancellationToken.None);
        Assert.Equal("vote abort not applied (vote-only)", voteOnly);
        Assert.Empty(api.Patches);
        Assert.Equal(1, api.RequestCount("create", "events"));
    }

    private static Guid VerdictRulesId(string uid, string hash, int? step) => Verdicts.VerdictRules.Id(uid, hash, step);

    private static AnalysisVerdict Verdict(string uid, string hash, int? step, Verdict verdict) => new()
    {
        Rollout = new ObjectIdentity("in-cluster", "default", "canary-with-analysis", uid),
        RunId = "r",
        RolloutRevision = "2",
        Verdict = verdict,
        DecidedAt = DateTimeOffset.UnixEpoch,
        PodTemplateHash = hash,
        Step = step,
    };

    private static string Uid(FakeKubernetesApiServer api, string plural, JsonObject obj)
    {
        api.Upsert(plural, obj);
        return (string)api.Get(plural, "default", (string)obj["metadata"]!["name"]!)!["metadata"]!["uid"]!;
    }

    private static RolloutChanged Changed(FakeKubernetesApiServer api, string name, string uid)
    {
        JsonObject obj = api.Get("rollouts", "default", name)!;
        return new RolloutChanged
        {
            Object = new ObjectIdentity("in-cluster", "default", name, uid),
            ResourceVersion = (string)obj["metadata"]!["resourceVersion"]!,
            ObservedAt = DateTimeOffset.UtcNow,
            Body = JsonSerializer.SerializeToElement(obj),
            Summary = new RolloutSummary("Paused", "2", Hash, "5f4", null, [], false, null),
        };
    }

    private static k8s.Kubernetes Client(FakeKubernetesApiServer api) =>
        new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.BaseAddress.ToString().TrimEnd('/') });

    private static VerdictConsumer Consumer(FakeKubernetesApiServer api, bool voteOnly) =>
        new(new ClusterConnection(null!, Client(api), "test", null, "test"), Options.Create(new VerdictOptions { VoteOnly = voteOnly }), TimeProvider.System, NullLogger<VerdictConsumer>.Instance);

    /// <summary>The analyzer's gate and the watcher's verdict consumer on one in-memory bus.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly ServiceProvider provider;
        private readonly ProviderHttp http = new();

        private World(ServiceProvider provider, GateKeeper gate, RunRegistry registry)
        {
            this.provider = provider;
            Gate = gate;
            Registry = registry;
        }

        public GateKeeper Gate { get; }

        public RunRegistry Registry { get; }

        public static async Task<World> StartAsync(FakeKubernetesApiServer api, bool voteOnly)
        {
            IKubernetes client = Client(api);
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(new ClusterConnection(null!, client, "test", null, "test"));
            services.AddSingleton(Options.Create(new VerdictOptions { VoteOnly = voteOnly }));
            services.AddMassTransit(x =>
            {
                x.AddConsumer<VerdictConsumer>();
                x.UsingInMemory((c, cfg) => cfg.ConfigureEndpoints(c));
            });
            ServiceProvider provider = services.BuildServiceProvider();
            await provider.GetRequiredService<IBusControl>().StartAsync();
            var http = new ProviderHttp();
            MetricProviders providers = MetricProviders.Default(http);
            var registry = new RunRegistry();
            var gate = new GateKeeper(
                new RunJudge(
                    new RunFactory(new KubernetesTemplateStore(client), new KubernetesSecretReader(client), providers),
                    new AnalysisRunner(new MeasurementTaker(providers, new MeasurementAssessor(new AnalysisConditions()), TimeProvider.System), TimeProvider.System),
                    registry),
                provider.GetRequiredService<IBus>(),
                TimeProvider.System,
                NullLogger<GateKeeper>.Instance);
            return new World(provider, gate, registry);
        }

        public async ValueTask DisposeAsync()
        {
            await Gate.DisposeAsync();
            await provider.GetRequiredService<IBusControl>().StopAsync();
            await provider.DisposeAsync();
            http.Dispose();
        }
    }
}
