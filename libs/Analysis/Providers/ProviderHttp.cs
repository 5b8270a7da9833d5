using System.Net.Http.Headers;

namespace Lookout.Analysis.Providers;

/// <summary>
/// The HTTP clients providers share: one verifying TLS certificates, one that does not (a metric's
/// <c>insecure: true</c>). Timeouts are per request, from the metric.
/// </summary>
public sealed class ProviderHttp : IDisposable
{
    private readonly HttpClient secure;
    private readonly HttpClient insecure;

    public ProviderHttp()
        : this(null)
    {
    }

    /// <summary>Clients whose connections to the hosts in <paramref name="aliases"/> go where the aliases point (the demo).</summary>
    public ProviderHttp(HostAliases? aliases)
    {
        var secureHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var insecureHandler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
#pragma warning disable CA5359 // A metric's insecure: true asks for exactly this, as in Argo.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        };
        if (aliases is not null)
        {
            secureHandler.ConnectCallback = aliases.ConnectAsync;
            insecureHandler.ConnectCallback = aliases.ConnectAsync;
        }

        secure = new HttpClient(secureHandler) { Timeout = Timeout.InfiniteTimeSpan };
        insecure = new HttpClient(insecureHandler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The client for a metric's <c>insecure</c> setting.</summary>
    public HttpClient For(bool skipTlsVerification) => skipTlsVerification ? insecure : secure;

    /// <summary>Sends a request with a timeout, turning every transport failure into a <see cref="ProviderException"/>.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, bool skipTlsVerification, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string what = $"{request.Method} \"{Redact(request.RequestUri)}\"";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using HttpResponseMessage response = await For(skipTlsVerification).SendAsync(request, cts.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException($"{what}: no answer within the timeout of {Seconds(timeout)}");
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException($"{what}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : string.Empty)}", ex);
        }
    }

    /// <summary>Adds basic authentication to a request.</summary>
    public static void BasicAuth(HttpRequestMessage request, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
    }

    public void Dispose()
    {
        secure.Dispose();
        insecure.Dispose();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 && t.TotalSeconds == Math.Floor(t.TotalSeconds)
        ? $"{t.TotalSeconds:0}s" : $"{t.TotalMilliseconds:0}ms";

    /// <summary>A URL without its user information (which may hold a password).</summary>
    private static string Redact(Uri? uri) =>
        uri is null ? string.Empty : string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
}
