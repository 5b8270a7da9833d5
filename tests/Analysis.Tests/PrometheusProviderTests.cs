using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Providers.Prometheus;
using Lookout.Testing;
using Lookout.Testing.Prometheus;

namespace Lookout.Analysis.Tests;

[CollectionDefinition(Name)]
public sealed class PrometheusCollection : ICollectionFixture<PrometheusFixture>
{
    public const string Name = "prometheus";
}

/// <summary>The prometheus provider and the seed's prometheus-metrics template against a real Prometheus.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusProviderTests(PrometheusFixture prometheus) : IDisposable
{
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(60);
    private readonly ProviderHttp http = new();

    private static string SeedTemplate(string address) =>
        SeedDocument("prometheus-metrics")
            .Replace("http://prometheus-kube-prometheus-prometheus.monitoring:9090", address, StringComparison.Ordinal);

    private async Task ServeCanaryAsync(string app, double errorsPerSecond)
    {
        prometheus.SetCounterRate($"http_requests_total{{app=\"{app}\",status=\"500\"}}", errorsPerSecond);
        prometheus.SetCounterRate($"http_requests_total{{app=\"{app}\",status=\"200\"}}", 100 - errorsPerSecond);
        prometheus.SetCounterRate($"http_request_duration_seconds_bucket{{app=\"{app}\",le=\"0.1\"}}", 50);
        prometheus.SetCounterRate($"http_request_duration_seconds_bucket{{app=\"{app}\",le=\"0.25\"}}", 99);
        prometheus.SetCounterRate($"http_request_duration_seconds_bucket{{app=\"{app}\",le=\"+Inf\"}}", 100);
        prometheus.SetCounterRate($"container_cpu_usage_seconds_total{{pod=\"{app}-1\"}}", 0.5);
        prometheus.Set($"container_spec_cpu_quota{{pod=\"{app}-1\"}}", 1);
        await prometheus.WaitUntilAsync($"sum(rate(http_requests_total{{app=\"{app}\"}}[2m]))", v => v > 0, ScrapeWait);
        await prometheus.WaitUntilAsync($"sum(rate(container_cpu_usage_seconds_total{{pod=~\"{app}-.*\"}}[2m]))", v => v > 0, ScrapeWait);
    }

    /// <summary>One document of the seed's rollouts.yaml, by its metadata.name.</summary>
    internal static string SeedDocument(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "rollouts.yaml"))
            .Split("\n---\n")
            .Single(d => d.Contains($"\n  name: {name}\n", StringComparison.Ordinal));

    [Fact]
    public async Task SeedTemplate_AsWritten_ComparesAVectorWithANumber_ErrorAsInArgo_WithAHint()
    {
        await ServeCanaryAsync("canary-demo", 1);
        var h = new RunHarness(SeedTemplate(prometheus.Address), MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Error, run.Phase);
        Measurement.Measurement m = h.Metric("http-error-rate").Measurements[0];
        Assert.Equal(AnalysisPhase.Error, m.Phase);
        Assert.Matches(@"^\[0\.0\d*\]$", m.Value);
        Assert.Contains("could not evaluate successCondition \"result < 0.05\"", m.Message, StringComparison.Ordinal);
        Assert.Contains("hint: result is a list", m.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedTemplate_WithIndexedResult_OnHealthyData_IsSuccessful()
    {
        await ServeCanaryAsync("canary-demo", 1);
        string yaml = SeedTemplate(prometheus.Address).Replace("successCondition: result <", "successCondition: result[0] <", StringComparison.Ordinal);
        var h = new RunHarness(yaml, MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.True(run.Phase == AnalysisPhase.Successful, run.Message + string.Join("; ", run.Metrics.SelectMany(x => x.Measurements).Select(x => x.Message)));
        Assert.Equal(5, h.Metric("http-error-rate").Successful);
        Assert.Equal(5, h.Metric("cpu-usage").Successful);
        Assert.Equal(5, h.Metric("http-latency").Successful);
    }

    [Fact]
    public async Task SeedTemplate_WithIndexedResult_OnFailingData_FailsAfterTheFailureLimit()
    {
        await ServeCanaryAsync("canary-bad", 20);
        string yaml = SeedTemplate(prometheus.Address)
            .Replace("successCondition: result <", "successCondition: result[0] <", StringComparison.Ordinal)
            .Replace("canary-demo", "canary-bad", StringComparison.Ordinal);
        var h = new RunHarness(yaml, MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        Assert.Equal(4, h.Metric("http-error-rate").Failed);
        Assert.Contains("Metric \"http-error-rate\" assessed Failed due to failed (4) > failureLimit (3)", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vector_BecomesAListOfFloats_Scalar_AFloat_NaN_AsArgo()
    {
        prometheus.Set("lookout_gauge{series=\"a\"}", 0.25);
        prometheus.Set("lookout_gauge{series=\"b\"}", 0.75);
        await prometheus.WaitForValueAsync("sum(lookout_gauge)", 1.0, ScrapeWait);
        var provider = new PrometheusProvider(http);

        ProviderResult vector = await provider.QueryAsync(Metric("sort(lookout_gauge)"), CancellationToken.None);
        Assert.Equal(new List<object?> { 0.25, 0.75 }, vector.Value);
        Assert.Equal("[0.25,0.75]", vector.Text);

        ProviderResult scalar = await provider.QueryAsync(Metric("scalar(sum(lookout_gauge))"), CancellationToken.None);
        Assert.Equal(1.0, scalar.Value);
        Assert.Equal("1", scalar.Text);

        ProviderResult nan = await provider.QueryAsync(Metric("scalar(lookout_missing)"), CancellationToken.None);
        Assert.True(double.IsNaN((double)nan.Value!));
        Assert.Equal("NaN", nan.Text);

        ProviderResult empty = await provider.QueryAsync(Metric("lookout_missing"), CancellationToken.None);
        Assert.Equal(new List<object?>(), empty.Value);
        Assert.Equal("[]", empty.Text);
    }

    [Fact]
    public async Task BadQuery_IsAnErrorWithPrometheusMessage()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => new PrometheusProvider(http).QueryAsync(Metric("sum(("), CancellationToken.None));
        Assert.StartsWith("bad_data: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrometheusDown_IsAnErrorMeasurement_NeverACrash()
    {
        int closed = FreePorts.Next();
        var h = new RunHarness(RunHarness.Template($"  - name: m\n    successCondition: result[0] < 1\n    provider:\n      prometheus:\n        address: http://127.0.0.1:{closed}\n        query: up\n"), MetricProviders.Default(http));
        await h.ReconcileAsync();
        Measurement.Measurement m = h.Metric("m").Measurements[0];
        Assert.Equal(AnalysisPhase.Error, m.Phase);
        Assert.Contains($"POST \"http://127.0.0.1:{closed}/api/v1/query\"", m.Message, StringComparison.Ordinal);
        Assert.Contains("refused", m.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(200, "<html>proxy error</html>", "not JSON")]
    [InlineData(502, "bad gateway", "HTTP 502")]
    [InlineData(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}", "Prometheus metric type not supported")]
    [InlineData(200, "{\"status\":\"success\"}", "without data.resultType")]
    [InlineData(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}}", "is not a number")]
    public async Task MalformedAnswers_AreErrorsNamingTheProblem(int status, string body, string expected)
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Status = status;
        endpoint.Body = body;
        var ex = await Assert.ThrowsAsync<ProviderException>(() => new PrometheusProvider(http).QueryAsync(Metric("up", endpoint.Url), CancellationToken.None));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_HeadersAndBasicAuth_AreSent()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}";
        var spec = new Lookout.Values.ObjectMap
        {
            ["address"] = endpoint.Url,
            ["query"] = "x",
            ["headers"] = new List<object?> { new Lookout.Values.ObjectMap { ["key"] = "X-Scope-OrgID", ["value"] = "team-a" } },
            ["authentication"] = new Lookout.Values.ObjectMap { ["basicAuth"] = new Lookout.Values.ObjectMap { ["username"] = "u", ["password"] = "p" } },
        };
        ProviderResult r = await new PrometheusProvider(http).QueryAsync(Metric(spec), CancellationToken.None);
        Assert.Equal(2.0, r.Value);
        var request = endpoint.Requests.Single();
        Assert.Equal("team-a", request.Headers["X-Scope-OrgID"]);
        Assert.Equal("Basic dTpw", request.Headers["Authorization"]);
        Assert.Contains("query=x", request.Body, StringComparison.Ordinal);

        endpoint.Delay = TimeSpan.FromSeconds(5);
        spec["timeout"] = 1L;
        var ex = await Assert.ThrowsAsync<ProviderException>(() => new PrometheusProvider(http).QueryAsync(Metric(spec), CancellationToken.None));
        Assert.Contains("no answer within the timeout of 1s", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(-2.5e-5, "-0.000025")]
    [InlineData(0.1, "0.1")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    public void SampleValues_AreFormattedAsPrometheusDoes(double value, string expected) =>
        Assert.Equal(expected, PrometheusProvider.FormatFloat(value));

    public void Dispose() => http.Dispose();

    private Templates.Metric Metric(string query, string? address = null) =>
        Metric(new Lookout.Values.ObjectMap { ["address"] = address ?? prometheus.Address, ["query"] = query });

    private static Templates.Metric Metric(Lookout.Values.ObjectMap spec) =>
        new() { Name = "m", ProviderName = "prometheus", Provider = spec };
}
