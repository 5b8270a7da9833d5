using Lookout.Analysis.Providers;
using Lookout.Analysis.Providers.Prometheus;
using Lookout.Values;

namespace Lookout.Analysis.Tests;

/// <summary>The prometheus provider's <c>authentication.oauth2</c> (client credentials) against a local token endpoint.</summary>
public sealed class OAuth2Tests : IDisposable
{
    private const string Vector = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.5"]}]}}""";
    private const string Token = """{"access_token":"t0k3n","token_type":"bearer","expires_in":3600}""";
    private readonly ProviderHttp http = new();

    private static Templates.Metric Metric(string address, ObjectMap oauth2) => new()
    {
        Name = "m",
        ProviderName = "prometheus",
        Provider = new ObjectMap { ["address"] = address, ["query"] = "up", ["authentication"] = new ObjectMap { ["oauth2"] = oauth2 } },
    };

    private static ObjectMap OAuth2(string tokenUrl, string secret = "s3cr3t") => new()
    {
        ["tokenUrl"] = tokenUrl,
        ["clientId"] = "lookout client",
        ["clientSecret"] = secret,
        ["scopes"] = new List<object?> { "metrics.read", "tenant:a" },
    };

    [Fact]
    public async Task ClientCredentials_InTheHeader_GiveABearerToken_KeptUntilItExpires()
    {
        await using LocalEndpoint tokens = await LocalEndpoint.StartAsync();
        await using LocalEndpoint prometheus = await LocalEndpoint.StartAsync();
        tokens.Body = Token;
        prometheus.Body = Vector;
        var provider = new PrometheusProvider(http);

        ProviderResult first = await provider.QueryAsync(Metric(prometheus.Url, OAuth2(tokens.Url + "/oauth/token")), CancellationToken.None);
        await provider.QueryAsync(Metric(prometheus.Url, OAuth2(tokens.Url + "/oauth/token")), CancellationToken.None);

        Assert.Equal("[0.5]", first.Text);
        var asked = Assert.Single(tokens.Requests);
        Assert.Equal("POST", asked.Method);
        Assert.Equal("/oauth/token", asked.Path);
        Assert.Equal("grant_type=client_credentials&scope=metrics.read+tenant%3Aa", asked.Body);
        Assert.Equal("Basic " + Convert.ToBase64String("lookout+client:s3cr3t"u8.ToArray()), asked.Headers["Authorization"]);
        Assert.All(prometheus.Requests, r => Assert.Equal("Bearer t0k3n", r.Headers["Authorization"]));
        Assert.Equal(2, prometheus.Requests.Count);
    }

    [Fact]
    public async Task ATokenEndpointRefusingTheHeader_IsAskedWithTheCredentialsInTheForm()
    {
        await using LocalEndpoint tokens = await LocalEndpoint.StartAsync();
        await using LocalEndpoint prometheus = await LocalEndpoint.StartAsync();
        tokens.Answer = (body, headers) => body.Contains("client_secret=s3cr3t", StringComparison.Ordinal) ? (200, Token) : (401, """{"error":"invalid_client"}""");
        prometheus.Body = Vector;

        await new PrometheusProvider(http).QueryAsync(Metric(prometheus.Url, OAuth2(tokens.Url)), CancellationToken.None);

        Assert.Equal(2, tokens.Requests.Count);
        Assert.Equal("grant_type=client_credentials&scope=metrics.read+tenant%3Aa&client_id=lookout+client&client_secret=s3cr3t", tokens.Requests[1].Body);
        Assert.Equal("Bearer t0k3n", Assert.Single(prometheus.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task ARefusedClient_IsAProviderError_WithoutTheSecret()
    {
        await using LocalEndpoint tokens = await LocalEndpoint.StartAsync();
        tokens.Status = 401;
        tokens.Body = """{"error":"invalid_client","echo":"s3cr3t"}""";

        var ex = await Assert.ThrowsAsync<ProviderException>(() => new PrometheusProvider(http).QueryAsync(Metric("http://127.0.0.1:9", OAuth2(tokens.Url)), CancellationToken.None));

        Assert.StartsWith("oauth2: cannot fetch token: HTTP 401", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "missing mandatory parameter in metric for OAuth2 setup")]
    [InlineData("s", null)]
    public void Settings_NeedAClientIdAndSecret_WhenATokenUrlIsGiven(string secret, string? error)
    {
        if (error is null)
        {
            Assert.NotNull(OAuth2ClientCredentials.Read(OAuth2("http://127.0.0.1/token", secret), "oauth2"));
        }
        else
        {
            Assert.Equal(error, Assert.Throws<ProviderException>(() => OAuth2ClientCredentials.Read(OAuth2("http://127.0.0.1/token", secret), "oauth2")).Message);
        }

        Assert.Null(OAuth2ClientCredentials.Read(new ObjectMap { ["clientId"] = "x" }, "oauth2"));
    }

    public void Dispose() => http.Dispose();
}
