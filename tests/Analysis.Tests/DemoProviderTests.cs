using Lookout.Analysis.Providers;
using Lookout.Analysis.Providers.Prometheus;
using Lookout.Analysis.Providers.Recorded;
using Lookout.Analysis.Providers.Web;
using Lookout.Analysis.Templates;
using Lookout.Testing.Prometheus;
using Lookout.Values;

namespace Lookout.Analysis.Tests;

/// <summary>The demo's stand-ins: recorded Prometheus measurements when no Prometheus listens, and host aliases.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class DemoProviderTests(PrometheusFixture prometheus) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lookout-recorded").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Metric PrometheusMetric(string name, string query) => new()
    {
        Name = name,
        ProviderName = "prometheus",
        Provider = new ObjectMap { ["address"] = "http://prometheus-kube-prometheus-prometheus.monitoring:9090", ["query"] = query },
    };

    private RecordedMeasurements Recorded()
    {
        Directory.CreateDirectory(Path.Combine(folder, "canary"));
        File.WriteAllText(Path.Combine(folder, "canary", "measurements.yaml"), "prometheus:\n  http-error-rate: [0.021, 0.058, 7]\n  per-pod: [[0.5, 0.25]]\n");
        return RecordedMeasurements.Load(folder);
    }

    [Fact]
    public async Task NoPrometheusListening_RecordedValuesAnswer_InOrder_TheLastRepeating()
    {
        using var http = new ProviderHttp();
        var provider = new RecordedPrometheusProvider(new PrometheusProvider(http), Recorded(), "http://127.0.0.1:1");
        var values = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            ProviderResult r = await provider.QueryAsync(PrometheusMetric("http-error-rate", "up"), CancellationToken.None);
            values.Add(r.Text);
        }

        Assert.Equal(["0.021", "0.058", "7", "7"], values);
        ProviderResult vector = await provider.QueryAsync(PrometheusMetric("per-pod", "up"), CancellationToken.None);
        Assert.Equal("[0.5,0.25]", vector.Text);
        Assert.Equal(new List<object?> { 0.5, 0.25 }, vector.Value);
    }

    [Fact]
    public async Task NoPrometheusListening_AMetricWithoutRecordedValues_FailsAsTheRealProvider()
    {
        using var http = new ProviderHttp();
        var provider = new RecordedPrometheusProvider(new PrometheusProvider(http), Recorded(), "http://127.0.0.1:1");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => provider.QueryAsync(PrometheusMetric("cpu-usage", "up"), CancellationToken.None));
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APrometheusListening_IsAsked_InsteadOfTheRecording()
    {
        using var http = new ProviderHttp();
        var provider = new RecordedPrometheusProvider(new PrometheusProvider(http), Recorded(), prometheus.Address);
        ProviderResult r = await provider.QueryAsync(PrometheusMetric("http-error-rate", "vector(0.25)"), CancellationToken.None);
        Assert.Equal("[0.25]", r.Text);
    }

    [Fact]
    public async Task HostAliases_SendATemplatesInClusterUrl_ToALocalEndpoint_WithItsOwnHostHeader()
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"statusCode": "200"}""";
        var aliases = new HostAliases();
        aliases.Set("bluegreen-demo-preview", 80, new Uri(endpoint.Url));
        using var http = new ProviderHttp(aliases);
        var metric = new Metric
        {
            Name = "http-success-rate",
            ProviderName = "web",
            Provider = new ObjectMap { ["url"] = "http://bluegreen-demo-preview/", ["jsonPath"] = "{$.statusCode}" },
        };

        ProviderResult r = await new WebProvider(http).QueryAsync(metric, CancellationToken.None);

        Assert.Equal("200", r.Value);
        (string method, string path, _, Dictionary<string, string> headers) = Assert.Single(endpoint.Requests);
        Assert.Equal(("GET", "/", "bluegreen-demo-preview"), (method, path, headers["Host"]));
    }

    [Theory]
    [InlineData("prometheus:\n  http-error-rate: []\n", "measurements.yaml: prometheus.http-error-rate must be a non-empty list of values")]
    [InlineData("prometheus:\n  http-error-rate: [0.1, high]\n", "measurements.yaml: prometheus.http-error-rate: a recorded measurement must be a number (or a list of numbers), not \"high\"")]
    [InlineData("web: {}\n", "measurements.yaml: expected 'prometheus:'")]
    public void ABadRecording_NamesItsFileAndMetric(string yaml, string expected)
    {
        File.WriteAllText(Path.Combine(folder, "measurements.yaml"), yaml);
        var ex = Assert.Throws<FormatException>(() => RecordedMeasurements.Load(folder));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
