using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Analysis.Measurement;
using Lookout.Analyzer.Rollouts;
using Lookout.Analyzer.Shadow;
using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using Lookout.Values;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Analysis.Tests;

/// <summary>Shadow mode: the Rollout's own analyses run beside Argo's, at Argo's moments, published once and never applied.</summary>
public sealed class ShadowTests
{
    private const string Hash = "7d9c8f6b4";
    private const string Stable = "5f4c7b9d8";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string StartingStep1 = """
        "analysis":{"templates":[{"templateName":"bg-check"}],"startingStep":1,"args":[{"name":"url","value":"http://x"}]},
        """;

    private const string NoStartingStep = """
        "analysis":{"templates":[{"templateName":"bg-check"}]},
        """;

    private static string CanaryJson(string status, string analysis = StartingStep1) => """
        {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
         "metadata":{"name":"canary-demo","namespace":"default","annotations":{"rollout.argoproj.io/revision":"3"}},
         "spec":{"strategy":{"canary":{@ANALYSIS@
            "steps":[{"setWeight":20},
                     {"analysis":{"templates":[{"templateName":"step-check"},{"templateName":"shared","clusterScope":true}],
                                  "args":[{"name":"url","value":"http://x"},{"name":"canary-hash","valueFrom":{"podTemplateHashValue":"Latest"}},
                                          {"name":"stable-hash","valueFrom":{"podTemplateHashValue":"Stable"}},
                                          {"name":"app","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
                                  "dryRun":[{"metricName":"latency"}]}},
                     {"pause":{}}]}}},
         "status":@STATUS@}
        """.Replace("@ANALYSIS@", analysis, StringComparison.Ordinal).Replace("@STATUS@", Tokens(status), StringComparison.Ordinal);

    private static string BlueGreenJson(string status) => """
        {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
         "metadata":{"name":"bluegreen-demo","namespace":"default","annotations":{"rollout.argoproj.io/revision":"2"}},
         "spec":{"strategy":{"blueGreen":{"activeService":"a","previewService":"p","autoPromotionEnabled":false,
            "prePromotionAnalysis":{"templates":[{"templateName":"pre-check"}]},
            "postPromotionAnalysis":{"templates":[{"templateName":"post-check"}]}}}},
         "status":@STATUS@}
        """.Replace("@STATUS@", Tokens(status), StringComparison.Ordinal);

    private static string Tokens(string s) => s.Replace("@H@", Hash, StringComparison.Ordinal).Replace("@S@", Stable, StringComparison.Ordinal);

    private static ObjectMap Map(string json) => (ObjectMap)ObjectModel.FromJson(json)!;

    private static string Points(string json) =>
        string.Join(",", ShadowPoint.Of(Map(json)).Select(p => p.Kind + (p.Step is int s ? $"@{s}" : string.Empty)));

    public static TheoryData<string, string, string> ArgosMoments => new()
    {
        // rule, Rollout status, the analyses Argo runs now
        { "step 0 is before the background's startingStep", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":0}"""), string.Empty },
        { "at the analysis step: the step run, and the background from startingStep", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1}"""), "Step@1,Background" },
        { "a pause step: the background only", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":2,"pauseConditions":[{"reason":"CanaryPauseStep"}]}"""), "Background" },
        { "paused at the analysis step: Argo creates no step run", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1,"pauseConditions":[{"reason":"PausedByUser"}]}"""), "Background" },
        { "no startingStep: the background from the first step", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":0}""", NoStartingStep), "Background" },
        { "aborted", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1,"abort":true}"""), string.Empty },
        { "promoted in full", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1,"promoteFull":true}"""), string.Empty },
        { "fully promoted", CanaryJson("""{"currentPodHash":"@H@","stableRS":"@H@","currentStepIndex":3}"""), string.Empty },
        { "first deploy (no stable)", CanaryJson("""{"currentPodHash":"@H@","currentStepIndex":1}"""), string.Empty },
        { "blue-green before Argo started its pre-promotion run", BlueGreenJson("""{"currentPodHash":"@H@","stableRS":"@S@","blueGreen":{"activeSelector":"@S@","previewSelector":"@H@"}}"""), string.Empty },
        { "blue-green pre-promotion", BlueGreenJson("""{"currentPodHash":"@H@","stableRS":"@S@","blueGreen":{"activeSelector":"@S@","prePromotionAnalysisRunStatus":{"name":"bluegreen-demo-@H@-2-pre","status":"Running"}}}"""), "PrePromotion" },
        { "blue-green pre-promotion run of an older revision", BlueGreenJson("""{"currentPodHash":"@H@","stableRS":"@S@","blueGreen":{"activeSelector":"@S@","prePromotionAnalysisRunStatus":{"name":"bluegreen-demo-@S@-1-pre"}}}"""), string.Empty },
        { "blue-green post-promotion", BlueGreenJson("""{"currentPodHash":"@H@","stableRS":"@S@","blueGreen":{"activeSelector":"@H@","prePromotionAnalysisRunStatus":{"name":"bluegreen-demo-@H@-2-pre"},"postPromotionAnalysisRunStatus":{"name":"bluegreen-demo-@H@-2-post"}}}"""), "PostPromotion" },
        { "blue-green promoted and stable", BlueGreenJson("""{"currentPodHash":"@H@","stableRS":"@H@","blueGreen":{"activeSelector":"@H@","postPromotionAnalysisRunStatus":{"name":"bluegreen-demo-@H@-2-post"}}}"""), string.Empty },
    };

    [Theory]
    [MemberData(nameof(ArgosMoments))]
    public void ShadowPoints_AreWhereArgoStartsItsRuns(string rule, string rollout, string expected)
    {
        Assert.True(expected == Points(rollout), $"{rule}: expected [{expected}], got [{Points(rollout)}]");
    }

    [Fact]
    public void ShadowPoint_CarriesTheRolloutsArguments_AndArgosRunName()
    {
        ShadowPoint step = ShadowPoint.Of(Map(CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1}""")))[0];
        Assert.Equal(["step-check", "shared"], step.Templates.Select(t => t.Name));
        Assert.True(step.Templates[1].ClusterScope);
        Assert.Equal("http://x", step.Args.Single(a => a.Name == "url").Value);
        Assert.Equal(Hash, step.Args.Single(a => a.Name == "canary-hash").Value);
        Assert.Equal(Stable, step.Args.Single(a => a.Name == "stable-hash").Value);
        Assert.Equal("metadata.name", step.Args.Single(a => a.Name == "app").FieldPath);
        Assert.Equal("latency", Assert.Single(step.DryRun).MetricName);
        Assert.Equal($"canary-demo-{Hash}-3-1", step.ArgoRunName("canary-demo", "3"));
        Assert.NotEqual(ShadowKeeper.IdOf("u", step), ShadowKeeper.IdOf("u", step with { Step = 3 }));
        Assert.NotEqual(ShadowKeeper.IdOf("u", step), Verdicts.VerdictRules.Id("u", Hash, 1));
    }

    [Fact]
    public async Task Shadow_RunsStepAndBackgroundAnalyses_PublishesEachOnce_AndTerminatesTheBackgroundWhenPromoted()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"state":"ok","canary":"broken"}""";
        api.Upsert("analysistemplates", Template("step-check", "{$.canary}", count: null));
        api.Upsert("analysistemplates", Template("bg-check", "{$.state}", count: null, interval: "1s"));
        const string analysis = """
            "analysis":{"templates":[{"templateName":"bg-check"}],"args":[{"name":"url","value":"http://x"}]},
            """;
        string rollout = CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1}""", analysis)
            .Replace("""{"templateName":"shared","clusterScope":true}""", string.Empty, StringComparison.Ordinal)
            .Replace("[{\"templateName\":\"step-check\"},]", "[{\"templateName\":\"step-check\"}]", StringComparison.Ordinal)
            .Replace("""[{"metricName":"latency"}]""", "[]", StringComparison.Ordinal)
            .Replace("http://x", endpoint.Url, StringComparison.Ordinal);
        string uid = Uid(api, rollout);
        var probe = new VerdictProbe();
        await using AnalyzerHost analyzer = await AnalyzerHost.StartAsync(api, probe, shadow: true);
        RolloutObserver rollouts = analyzer.Services.GetRequiredService<RolloutObserver>();

        // The start-up list already showed the Rollout; the same state again starts nothing new.
        rollouts.Observe(Changed(api, uid));
        var (stepId, step) = await probe.WaitAsync(v => v.Analysis == "step", Timeout);
        Assert.Equal(AnalysisModes.Shadow, step.Mode);
        Assert.Equal(Verdict.Abort, step.Verdict);
        Assert.True(step.Phase == nameof(AnalysisPhase.Failed), step.Reason);
        Assert.Equal(1, step.Step);
        Assert.Equal($"canary-demo-{Hash}-3-1", step.ArgoAnalysisRun);
        Assert.Equal(VerdictRulesShadowId(uid, "step", 1), stepId);

        // Argo promotes (stable = current): it cancels its background run, and the shadow one ends with its phase so far.
        await endpoint.WaitForRequestsAsync(3, Timeout);
        JsonObject promoted = api.Get("rollouts", "default", "canary-demo")!;
        promoted["status"]!["stableRS"] = Hash;
        promoted["status"]!["currentStepIndex"] = 3;
        api.Upsert("rollouts", promoted);
        rollouts.Observe(Changed(api, uid));
        var (backgroundId, background) = await probe.WaitAsync(v => v.Analysis == "background", Timeout);
        Assert.Equal(Verdict.Promote, background.Verdict);
        Assert.Contains("terminated", background.Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictRulesShadowId(uid, "background", null), backgroundId);
        Assert.Null(background.Step);

        // Seen again in every state it went through: no point is judged twice.
        ShadowKeeper keeper = analyzer.Services.GetRequiredService<ShadowKeeper>();
        await keeper.WhenIdleAsync();
        rollouts.Observe(Changed(api, uid));
        await keeper.WhenIdleAsync();
        Assert.Equal(2, analyzer.Services.GetRequiredService<Analyzer.Runs.RunRegistry>().List().Count);
        Assert.Equal(2, probe.Seen.Count);
        Assert.All(probe.Seen, s => Assert.Equal(AnalysisModes.Shadow, s.Verdict.Mode));
    }

    [Fact]
    public async Task Shadow_IsOffByDefault()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        string uid = Uid(api, CanaryJson("""{"currentPodHash":"@H@","stableRS":"@S@","currentStepIndex":1}"""));
        var probe = new VerdictProbe();
        await using AnalyzerHost analyzer = await AnalyzerHost.StartAsync(api, probe);
        analyzer.Services.GetRequiredService<RolloutObserver>().Observe(Changed(api, uid));
        await analyzer.Services.GetRequiredService<ShadowKeeper>().WhenIdleAsync();
        Assert.Empty(analyzer.Services.GetRequiredService<Analyzer.Runs.RunRegistry>().List());
    }

    private static Guid VerdictRulesShadowId(string uid, string kind, int? step) => Verdicts.VerdictRules.ShadowId(uid, Hash, kind, step);

    internal static string Template(string name, string jsonPath, int? count, string? interval = null)
    {
        string extra = (count is int c ? $",\"count\":{c}" : string.Empty) + (interval is null ? string.Empty : $",\"interval\":\"{interval}\"");
        return """
            {"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisTemplate",
             "metadata":{"name":"@NAME@","namespace":"default"},
             "spec":{"args":[{"name":"url"},{"name":"canary-hash","value":"-"},{"name":"stable-hash","value":"-"},{"name":"app","value":"-"}],
                "metrics":[{"name":"@NAME@","successCondition":"result == \"ok\""@EXTRA@,
                "provider":{"web":{"url":"{{args.url}}","jsonPath":"@PATH@"}}}]}}
            """.Replace("@NAME@", name, StringComparison.Ordinal).Replace("@EXTRA@", extra, StringComparison.Ordinal).Replace("@PATH@", jsonPath, StringComparison.Ordinal);
    }

    internal static string Uid(FakeKubernetesApiServer api, string json)
    {
        JsonObject obj = JsonNode.Parse(json)!.AsObject();
        api.Upsert("rollouts", obj);
        return (string)api.Get("rollouts", "default", (string)obj["metadata"]!["name"]!)!["metadata"]!["uid"]!;
    }

    internal static RolloutChanged Changed(FakeKubernetesApiServer api, string uid, string name = "canary-demo")
    {
        JsonObject obj = api.Get("rollouts", "default", name)!;
        return new RolloutChanged
        {
            Object = new ObjectIdentity("in-cluster", "default", name, uid),
            ResourceVersion = (string)obj["metadata"]!["resourceVersion"]!,
            ObservedAt = DateTimeOffset.UtcNow,
            Body = JsonSerializer.SerializeToElement(obj),
            Summary = new RolloutSummary("Progressing", (string?)obj["metadata"]!["annotations"]?["rollout.argoproj.io/revision"], null, null, null, [], false, null),
        };
    }
}
