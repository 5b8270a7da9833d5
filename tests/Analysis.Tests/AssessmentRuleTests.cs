using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analysis.Tests;

/// <summary>Argo's rules, one test per rule: how a measurement, a metric and a run get their phase.</summary>
public sealed class AssessmentRuleTests
{
    private const string Conditions = """
            successCondition: result == 1
            failureCondition: result == 0
            provider: {fake: {}}
        """;

    private static Metric MetricWith(string success, string failure) => new()
    {
        Name = "m",
        SuccessCondition = success,
        FailureCondition = failure,
        ProviderName = "fake",
        Provider = new ObjectMap(),
    };

    // How one measurement becomes Successful / Failed / Inconclusive / Error (Argo's EvaluateResult).
    [Theory]
    [InlineData("", "", 0.0, AnalysisPhase.Successful)]
    [InlineData("result == 1", "", 1.0, AnalysisPhase.Successful)]
    [InlineData("result == 1", "", 0.0, AnalysisPhase.Failed)]
    [InlineData("", "result == 0", 0.0, AnalysisPhase.Failed)]
    [InlineData("", "result == 0", 1.0, AnalysisPhase.Successful)]
    [InlineData("result == 1", "result == 0", 1.0, AnalysisPhase.Successful)]
    [InlineData("result == 1", "result == 0", 0.0, AnalysisPhase.Failed)]
    [InlineData("result == 1", "result == 0", 0.5, AnalysisPhase.Inconclusive)]
    [InlineData("result >= 0", "result >= 0", 0.5, AnalysisPhase.Failed)]
    public void MeasurementPhase_FollowsFromTheTwoConditions(string success, string failure, double result, AnalysisPhase expected)
    {
        var (phase, message) = new MeasurementAssessor(new AnalysisConditions()).Assess(result, MetricWith(success, failure));
        Assert.Equal(expected, phase);
        Assert.Null(message);
    }

    [Fact]
    public void MeasurementPhase_ConditionThatCannotBeEvaluated_IsError()
    {
        var (phase, message) = new MeasurementAssessor(new AnalysisConditions()).Assess("abc", MetricWith("asInt(result) > 1", ""));
        Assert.Equal(AnalysisPhase.Error, phase);
        Assert.StartsWith("could not evaluate successCondition \"asInt(result) > 1\": ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoData_AnEmptyVector_IsErrorSayingNoDataWasReturned()
    {
        var (phase, message) = new MeasurementAssessor(new AnalysisConditions()).Assess(new List<object?>(), MetricWith("result[0] < 0.05", ""));
        Assert.Equal(AnalysisPhase.Error, phase);
        Assert.Equal("could not evaluate successCondition \"result[0] < 0.05\": metric result is nil or empty: no data returned from the metric provider", message);
    }

    [Fact]
    public void VectorComparedWithANumber_IsErrorAsInArgo_WithAHint()
    {
        var (phase, message) = new MeasurementAssessor(new AnalysisConditions()).Assess(new List<object?> { 0.01 }, MetricWith("result < 0.05", ""));
        Assert.Equal(AnalysisPhase.Error, phase);
        Assert.Contains("mismatched types", message, StringComparison.Ordinal);
        Assert.Contains("hint: result is a list", message, StringComparison.Ordinal);
        Assert.Contains("result[0]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstMeasurement_IsTakenAtOnce()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 30s\n    count: 3\n" + Conditions));
        Assert.Single(h.Runner.MetricsDue(h.Run));
    }

    [Fact]
    public async Task InitialDelay_FirstMeasurementWaitsForItFromTheRunsStart()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    initialDelay: 20s\n" + Conditions));
        DateTimeOffset? next = await h.ReconcileAsync();
        Assert.Equal(RunHarness.Start.AddSeconds(20), next);
        Assert.Equal(0, h.Metric("m").Count);
        h.Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(h.Runner.MetricsDue(h.Run));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.ReconcileAsync();
        Assert.Equal(1, h.Metric("m").Count);
    }

    [Fact]
    public async Task Interval_NextMeasurementComesAnIntervalAfterTheLastOneFinished()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 30s\n    count: 3\n" + Conditions));
        DateTimeOffset? next = await h.ReconcileAsync();
        Assert.Equal(RunHarness.Start.AddSeconds(30), next);
        h.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(h.Runner.MetricsDue(h.Run));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(h.Runner.MetricsDue(h.Run));
    }

    [Fact]
    public async Task ErrorRetry_AfterAnErrorTheNextMeasurementComesTenSecondsLater()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 5m\n    count: 3\n" + Conditions)).Answers("m", "error");
        DateTimeOffset? next = await h.ReconcileAsync();
        Assert.Equal(RunHarness.Start.AddSeconds(10), next);
        Assert.Equal(AnalysisPhase.Error, h.Metric("m").Measurements[0].Phase);
        Assert.Equal(AnalysisPhase.Running, h.Metric("m").Phase);
    }

    [Fact]
    public async Task NoCountNoInterval_MeasuresOnce()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n" + Conditions));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(1, h.Metric("m").Count);
    }

    [Fact]
    public async Task Count_WhenReachedWithoutPassingFailureLimit_MetricIsSuccessful()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 4\n    failureLimit: 1\n" + Conditions)).Answers("m", 1, 0, 1, 1);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(4, h.Metric("m").Count);
        Assert.Equal(RunHarness.Start.AddSeconds(30), run.CompletedAt);
    }

    [Fact]
    public async Task FailureLimit_DefaultZero_FirstFailureFailsTheMetricAndTheRun()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 5\n" + Conditions)).Answers("m", 1, 0);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        Assert.Equal(2, h.Metric("m").Count);
        Assert.Equal("Metric \"m\" assessed Failed due to failed (1) > failureLimit (0)", run.Message);
    }

    [Fact]
    public async Task FailureLimit_FailuresUpToTheLimitAreTolerated()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 5\n    failureLimit: 2\n" + Conditions)).Answers("m", 0, 0, 1, 0);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        Assert.Equal(3, h.Metric("m").Failed);
        Assert.Equal(4, h.Metric("m").Count);
    }

    [Fact]
    public async Task InconclusiveLimit_ExceededMakesTheMetricInconclusive()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 5\n    inconclusiveLimit: 1\n" + Conditions)).Answers("m", 0.5, 1, 0.5);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Inconclusive, run.Phase);
        Assert.Contains("inconclusive (2) > inconclusiveLimit (1)", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsecutiveErrorLimit_DefaultFour_TheFifthErrorInARowIsError()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 1m\n    count: 10\n" + Conditions)).Answers("m", "error", "error", "error", "error", "error");
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Error, run.Phase);
        Assert.Equal(5, h.Metric("m").ConsecutiveError);
        Assert.Equal(0, h.Metric("m").Count);
        Assert.Equal(RunHarness.Start.AddSeconds(40), run.CompletedAt);
        Assert.Contains("consecutiveErrors (5) > consecutiveErrorLimit (4)", run.Message, StringComparison.Ordinal);
        Assert.Contains("Error Message: scripted error", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsecutiveErrorLimit_AMeasurementResetsTheErrorStreak()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 2\n    consecutiveErrorLimit: 1\n" + Conditions)).Answers("m", "error", 1, "error", 1);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(2, h.Metric("m").Error);
        Assert.Equal(0, h.Metric("m").ConsecutiveError);
    }

    [Fact]
    public async Task ConsecutiveSuccessLimit_ReachedMakesTheMetricSuccessfulBeforeTheCount()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 10\n    failureLimit: 3\n    consecutiveSuccessLimit: 2\n" + Conditions)).Answers("m", 1, 0, 1, 1);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(4, h.Metric("m").Count);
    }

    [Fact]
    public async Task CountReached_WithFailureAndConsecutiveSuccessLimitsUnmet_IsInconclusive()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 4\n    failureLimit: 2\n    consecutiveSuccessLimit: 2\n" + Conditions)).Answers("m", 1, 0, 1, 0);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Inconclusive, run.Phase);
    }

    [Fact]
    public async Task CountReached_WithOnlyConsecutiveSuccessLimitUnmet_IsFailed()
    {
        var h = new RunHarness(RunHarness.Template("  - name: m\n    interval: 10s\n    count: 3\n    failureLimit: -1\n    consecutiveSuccessLimit: 2\n" + Conditions)).Answers("m", 1, 0, 1);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
    }

    [Fact]
    public async Task RunPhase_IsRunningUntilEveryMetricCompletes_ThenTheWorst()
    {
        string metrics = "  - name: a\n    interval: 10s\n    count: 2\n    inconclusiveLimit: 1\n" + Conditions + "\n  - name: b\n    interval: 10s\n    count: 3\n    failureLimit: 3\n" + Conditions;
        var h = new RunHarness(RunHarness.Template(metrics)).Answers("a", 0.5, 1).Answers("b", 0, 1, 1);
        await h.ReconcileAsync();
        Assert.Equal(AnalysisPhase.Running, h.Run.Phase);
        var run = await h.RunToEndAsync();

        // b ends Successful (failures within its limit) and a Successful: Successful.
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(3, h.Metric("b").Count);
    }

    [Fact]
    public async Task RunPhase_AFailedMetricEndsTheRun_OtherMetricsStopMeasuring()
    {
        string metrics = "  - name: a\n    interval: 10s\n    count: 5\n" + Conditions + "\n  - name: b\n    interval: 10s\n" + Conditions;
        var h = new RunHarness(RunHarness.Template(metrics)).Answers("a", 1, 0).Answers("b", 1, 1, 1);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);

        // b has no count: it runs until the run stops, and a terminating run calls it Successful.
        Assert.Equal(AnalysisPhase.Successful, h.Metric("b").Phase);
        Assert.Equal(2, h.Metric("b").Count);
    }

    [Fact]
    public async Task DryRun_AFailedDryRunMetricDoesNotDecideTheRun()
    {
        string metrics = "  - name: a\n" + Conditions + "\n  - name: b\n" + Conditions;
        var h = new RunHarness(RunHarness.Template(metrics, "  dryRun:\n  - metricName: b\n")).Answers("a", 1).Answers("b", 0);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(AnalysisPhase.Failed, h.Metric("b").Phase);
        Assert.True(h.Metric("b").DryRun);
        Assert.Equal("Metric assessed Failed due to failed (1) > failureLimit (0)", h.Metric("b").Message);
    }

    [Fact]
    public async Task DryRun_EveryMetricInDryRun_RunIsSuccessful()
    {
        var h = new RunHarness(RunHarness.Template("  - name: a\n" + Conditions, "  dryRun:\n  - metricName: .*\n")).Answers("a", 0);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
    }

    [Fact]
    public async Task Terminate_AMetricWithoutCountEndsSuccessful()
    {
        var h = new RunHarness(RunHarness.Template("  - name: a\n    interval: 10s\n" + Conditions));
        await h.ReconcileAsync();
        h.Run.RequestTermination();
        await h.ReconcileAsync();
        Assert.Equal(AnalysisPhase.Successful, h.Run.Phase);
        Assert.Equal("Run Terminated", h.Run.Message);
    }

    [Fact]
    public async Task MeasurementRetention_KeepsTenByDefault_OrTheRulesLimit()
    {
        string metrics = "  - name: a\n    interval: 1s\n    count: 12\n" + Conditions + "\n  - name: b\n    interval: 1s\n    count: 12\n" + Conditions;
        var h = new RunHarness(RunHarness.Template(metrics, "  measurementRetention:\n  - metricName: b\n    limit: 3\n"));
        await h.RunToEndAsync();
        Assert.Equal(10, h.Metric("a").Measurements.Count);
        Assert.Equal(3, h.Metric("b").Measurements.Count);
        Assert.Equal(12, h.Metric("a").Count);
    }
}
