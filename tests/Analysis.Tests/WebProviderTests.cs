using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;

namespace Lookout.Analysis.Tests;

/// <summary>The web provider and the seed's http-health-check template against a local HTTP endpoint.</summary>
public sealed class WebProviderTests : IDisposable
{
    private readonly ProviderHttp http = new();

    private static string SeedTemplate(string url) =>
        PrometheusProviderTests.SeedDocument("http-health-check").Replace("http://bluegreen-demo-preview/", url, StringComparison.Ordinal);

    [Fact]
    public async Task SeedHealthCheck_OnHealthyAnswers_IsSuccessful_AndSendsItsHeader()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "{\"statusCode\":\"200\"}";
        var h = new RunHarness(SeedTemplate(endpoint.Url + "/"), MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal(5, h.Metric("http-success-rate").Successful);
        Assert.Equal("\"200\"", h.Metric("http-success-rate").Measurements[0].Value);
        Assert.Equal("ArgoCD-Analysis", endpoint.Requests[0].Headers["User-Agent"]);
    }

    [Fact]
    public async Task SeedHealthCheck_OnFailingAnswers_FailsAtTheFirstFailure()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "{\"statusCode\":\"503\"}";
        var h = new RunHarness(SeedTemplate(endpoint.Url + "/"), MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Failed, run.Phase);
        Assert.Equal(1, h.Metric("http-success-rate").Count);
    }

    [Fact]
    public async Task SeedHealthCheck_ANumericStatusCode_IsAnErrorAsInArgo_WithAHint()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "{\"statusCode\":200}";
        var h = new RunHarness(SeedTemplate(endpoint.Url + "/"), MetricProviders.Default(http));
        await h.ReconcileAsync();
        Measurement.Measurement m = h.Metric("http-success-rate").Measurements[0];
        Assert.Equal(AnalysisPhase.Error, m.Phase);
        Assert.Contains("mismatched types", m.Message, StringComparison.Ordinal);
        Assert.Contains("hint: result is a number", m.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "{}", "received non 2xx response code: 500")]
    [InlineData(200, "{\"other\":1}", "Could not find JSONPath in body: statusCode is not found")]
    public async Task BadAnswers_AreErrorMeasurements(int status, string body, string expected)
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Status = status;
        endpoint.Body = body;
        var h = new RunHarness(SeedTemplate(endpoint.Url + "/"), MetricProviders.Default(http));
        await h.ReconcileAsync();
        Measurement.Measurement m = h.Metric("http-success-rate").Measurements[0];
        Assert.Equal(AnalysisPhase.Error, m.Phase);
        Assert.Equal(expected, m.Message);
    }

    [Fact]
    public async Task ABodyThatIsNotJson_IsTheResultAsAString()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "OK";
        endpoint.ContentType = "text/plain";
        var h = new RunHarness(RunHarness.Template($"  - name: m\n    successCondition: result == \"OK\"\n    provider:\n      web:\n        url: {endpoint.Url}/health\n"), MetricProviders.Default(http));
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
    }

    [Fact]
    public async Task JsonBody_IsPostedAsJson_AndTimeoutSecondsIsHonoured()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = "{\"data\":{\"ok\":true}}";
        string template = RunHarness.Template($"  - name: m\n    successCondition: result == true\n    provider:\n      web:\n        url: {endpoint.Url}/q\n        method: POST\n        jsonBody: {{service: \"{{{{args.svc}}}}\"}}\n        timeoutSeconds: 1\n        jsonPath: \"{{$.data.ok}}\"\n", "  args:\n  - name: svc\n");
        var h = new RunHarness(template, MetricProviders.Default(http), [new Templates.Argument("svc", "checkout")]);
        var run = await h.RunToEndAsync();
        Assert.Equal(AnalysisPhase.Successful, run.Phase);
        Assert.Equal("{\"service\":\"checkout\"}", endpoint.Requests[0].Body);
        Assert.StartsWith("application/json", endpoint.Requests[0].Headers["Content-Type"], StringComparison.Ordinal);

        endpoint.Delay = TimeSpan.FromSeconds(5);
        var slow = new RunHarness(template, MetricProviders.Default(http), [new Templates.Argument("svc", "checkout")]);
        await slow.ReconcileAsync();
        Assert.Contains("no answer within the timeout of 1s", slow.Metric("m").Measurements[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_IsAnErrorMeasurement()
    {
        int closed = Lookout.Testing.FreePorts.Next();
        var h = new RunHarness(SeedTemplate($"http://127.0.0.1:{closed}/"), MetricProviders.Default(http));
        await h.ReconcileAsync();
        Measurement.Measurement m = h.Metric("http-success-rate").Measurements[0];
        Assert.Equal(AnalysisPhase.Error, m.Phase);
        Assert.Contains("refused", m.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => http.Dispose();
}
