using System.Text.Json.Nodes;
using Lookout.Analysis.Verdicts;
using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Analysis.Tests;

/// <summary>After an analyzer restart, the runs Rollouts still wait for start again, and each verdict goes out once under its id.</summary>
public sealed class RestartTests
{
    private const string Hash = "6c9f7d8b5";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string Rollout = """
        {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
         "metadata":{"name":"canary-gated","namespace":"default","annotations":{
            "rollout.argoproj.io/revision":"4","analysis.lookout.io/templates":"step-check","analysis.lookout.io/arg.url":"@URL@"}},
         "spec":{"strategy":{"canary":{"steps":[{"setWeight":20},{"pause":{}},{"setWeight":40}]}}},
         "status":{"currentPodHash":"6c9f7d8b5","stableRS":"5f4","currentStepIndex":1,"controllerPause":true,
            "pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2026-01-01T00:00:00Z"}]}}
        """;

    [Fact]
    public async Task AnalyzerRestartMidRun_RunsTheGateAgain_AndPublishesItsVerdictOnce()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"canary":"ok"}""";
        api.Upsert("analysistemplates", ShadowTests.Template("step-check", "{$.canary}", count: null));
        string uid = ShadowTests.Uid(api, Rollout.Replace("@URL@", endpoint.Url, StringComparison.Ordinal));
        var probe = new VerdictProbe();

        // The first analyzer learns of the paused Rollout from its start-up list and measures; the answer is held.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.Hold = hold;
        AnalyzerHost first = await AnalyzerHost.StartAsync(api, probe);
        try
        {
            await endpoint.WaitForRequestsAsync(1, Timeout);
        }
        finally
        {
            await first.DisposeAsync();
        }

        endpoint.Hold = null;
        hold.SetResult();
        Assert.Empty(probe.Seen);

        // The restarted analyzer hears nothing new on the bus: its own start-up list shows the Rollout still waiting.
        await using AnalyzerHost second = await AnalyzerHost.StartAsync(api, probe);
        var (messageId, verdict) = await probe.WaitAsync(v => v.Rollout.Uid == uid, Timeout);
        Assert.Equal(VerdictRules.Id(uid, Hash, 1), messageId);
        Assert.Equal(Verdict.Promote, verdict.Verdict);
        Assert.Equal(AnalysisModes.Gate, verdict.Mode);
        Assert.Equal("4", verdict.RolloutRevision);
        Assert.Equal(2, endpoint.Requests.Count);

        // The Rollout is still paused (nobody applied the vote here): seeing it again publishes nothing more.
        await second.Services.GetRequiredService<Analyzer.Gate.GateKeeper>().WhenIdleAsync();
        second.Services.GetRequiredService<Analyzer.Rollouts.RolloutObserver>().Observe(ShadowTests.Changed(api, uid, "canary-gated"));
        await second.Services.GetRequiredService<Analyzer.Gate.GateKeeper>().WhenIdleAsync();
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Single(probe.Seen);
    }

    [Fact]
    public async Task AnOlderStateFromTheQueue_DoesNotTakeTheRolloutBehindTheStartUpList()
    {
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        string uid = ShadowTests.Uid(api, Rollout.Replace("@URL@", "http://127.0.0.1:9", StringComparison.Ordinal));
        RolloutChanged older = ShadowTests.Changed(api, uid, "canary-gated");
        JsonObject moved = api.Get("rollouts", "default", "canary-gated")!;
        moved["status"]!["currentStepIndex"] = 2;
        moved["status"]!["pauseConditions"] = null;
        api.Upsert("rollouts", moved);
        RolloutChanged newer = ShadowTests.Changed(api, uid, "canary-gated");

        // (A body that is not an object reaches no mode, so no keeper is needed to see what the observer lets through.)
        var observer = new Analyzer.Rollouts.RolloutObserver(null!);
        System.Text.Json.JsonElement none = System.Text.Json.JsonSerializer.SerializeToElement(0);
        Assert.True(observer.Observe(newer with { Body = none }));
        Assert.False(observer.Observe(older with { Body = none }));
        Assert.True(observer.Observe(newer with { Body = none }));
    }
}
