using System.Collections.Concurrent;
using System.Text;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analysis.Providers.Web;

/// <summary>
/// <c>provider.web</c>: an HTTP request to <c>url</c> (<c>method</c> GET by default; <c>headers</c>;
/// <c>body</c> or <c>jsonBody</c> with POST or PUT; <c>timeoutSeconds</c>, default 10; <c>insecure</c>). A 2xx JSON
/// answer is read with <c>jsonPath</c> (default <c>{$}</c>) and the first value found is the result; an answer
/// that is not JSON is the result as a string. As in Argo.
/// </summary>
public sealed class WebProvider(ProviderHttp http) : IMetricProvider
{
    private readonly ConcurrentDictionary<string, JsonPath> paths = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => "web";

    /// <inheritdoc/>
    public async Task<ProviderResult> QueryAsync(Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ObjectMap spec = metric.Provider;
        string method = Fields.String(spec, "method", Name) is { Length: > 0 } m ? m : "GET";
        string url = Fields.String(spec, "url", Name) ?? string.Empty;
        string body = Fields.String(spec, "body", Name) ?? string.Empty;
        bool hasJsonBody = spec.TryGetValue("jsonBody", out object? jsonBody) && jsonBody is not null;
        if (body.Length > 0 && hasJsonBody)
        {
            throw new ProviderException("use either Body or JSONBody; both cannot exists for WebMetric payload");
        }

        if ((body.Length > 0 || hasJsonBody) && method == "GET")
        {
            throw new ProviderException("Body/JSONBody can only be used with POST or PUT WebMetric Method types");
        }

        if (Fields.Map(spec, "authentication", Name) is { } auth && Fields.Map(auth, "oauth2", "web.authentication") is { Count: > 0 })
        {
            throw new ProviderException("web authentication.oauth2 is not supported here yet; pass a token in headers");
        }

        JsonPath path = Path(Fields.String(spec, "jsonPath", Name) is { Length: > 0 } p ? p : "{$}");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ProviderException($"web url {GoFmt.Quote(url)} is not an http or https URL");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = null;
        }
        else if (hasJsonBody)
        {
            request.Content = new StringContent(GoJson.Marshal(jsonBody, indent: false), Encoding.UTF8, "application/json");
        }

        foreach (var (key, value) in Fields.Headers(spec, Name))
        {
            if (!request.Headers.TryAddWithoutValidation(key, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(key);
                request.Content.Headers.TryAddWithoutValidation(key, value);
            }
        }

        long timeoutSeconds = Fields.Int(spec, "timeoutSeconds", Name) ?? 0;
        TimeSpan timeout = TimeSpan.FromSeconds(timeoutSeconds <= 0 ? 10 : timeoutSeconds);
        var (status, text) = await http.SendAsync(request, Fields.Bool(spec, "insecure", Name), timeout, cancellationToken).ConfigureAwait(false);
        if (status is < 200 or >= 300)
        {
            throw new ProviderException($"received non 2xx response code: {status}");
        }

        return Read(text, path);
    }

    /// <summary>Reads a 2xx answer's body as Argo does.</summary>
    public static ProviderResult Read(string body, JsonPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        object? data;
        try
        {
            data = GoJson.Unmarshal(body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return new ProviderResult(body, body);
        }

        object? value;
        try
        {
            if (!path.TryFirst(data, out value))
            {
                throw new ProviderException("result of web metric produced no value");
            }
        }
        catch (FormatException ex)
        {
            throw new ProviderException($"Could not find JSONPath in body: {ex.Message}", ex);
        }

        return new ProviderResult(value, GoJson.Marshal(value, indent: false));
    }

    private JsonPath Path(string text)
    {
        if (paths.TryGetValue(text, out JsonPath? cached))
        {
            return cached;
        }

        JsonPath parsed;
        try
        {
            parsed = JsonPath.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ProviderException($"web jsonPath {GoFmt.Quote(text)}: {ex.Message}", ex);
        }

        if (paths.Count < 10_000)
        {
            paths.TryAdd(text, parsed);
        }

        return parsed;
    }
}
