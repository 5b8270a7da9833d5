using System.Globalization;
using System.Text.Json;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analysis.Providers.Prometheus;

/// <summary>
/// <c>provider.prometheus</c>: an instant query (<c>/api/v1/query</c>) against <c>address</c>, with
/// <c>timeout</c> (seconds, default 30), <c>headers</c>, <c>insecure</c>, basic and OAuth 2.0 client-credentials
/// authentication (<see cref="OAuth2ClientCredentials"/>). As in Argo, a
/// scalar becomes a float and a vector a list of floats (one per series, empty when nothing matched); the recorded
/// value is Prometheus' own text (<c>[0.01,0.02]</c>, <c>NaN</c>).
/// </summary>
public sealed class PrometheusProvider(ProviderHttp http) : IMetricProvider
{
    private readonly OAuth2ClientCredentials oauth2 = new(http);

    /// <summary>Argo's environment variable for a default address.</summary>
    public const string AddressVariable = "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS";

    /// <inheritdoc/>
    public string Name => "prometheus";

    /// <inheritdoc/>
    public async Task<ProviderResult> QueryAsync(Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ObjectMap spec = metric.Provider;
        string address = Fields.String(spec, "address", Name) is { Length: > 0 } a ? a
            : Environment.GetEnvironmentVariable(AddressVariable) is { Length: > 0 } e ? e
            : throw new ProviderException("prometheus address is not configured");
        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? baseUri) || string.IsNullOrEmpty(baseUri.Host))
        {
            throw new ProviderException("prometheus address is not is url format");
        }

        string query = Fields.String(spec, "query", Name) ?? string.Empty;
        long timeout = Fields.Int(spec, "timeout", Name) ?? 30;
        if (timeout < 0)
        {
            throw new ProviderException("prometheus timeout should not be negative");
        }

        if (spec.ContainsKey("rangeQuery"))
        {
            throw new ProviderException("prometheus rangeQuery is not supported here yet; use an instant query");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri.ToString().TrimEnd('/') + "/api/v1/query"))
        {
            Content = new FormUrlEncodedContent([new("query", query)]),
        };
        foreach (var (key, value) in Fields.Headers(spec, Name))
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        bool insecure = Fields.Bool(spec, "insecure", Name);
        if (Authenticate(request, spec) is { } oauth)
        {
            await oauth2.AuthorizeAsync(request, oauth, insecure, TimeSpan.FromSeconds(timeout), cancellationToken).ConfigureAwait(false);
        }

        var (status, body) = await http.SendAsync(request, insecure, TimeSpan.FromSeconds(timeout), cancellationToken).ConfigureAwait(false);
        return Read(status, body);
    }

    /// <summary>Reads Prometheus' answer to an instant or range query.</summary>
    /// <exception cref="ProviderException">An error answer, or a body that is not Prometheus' JSON.</exception>
    public static ProviderResult Read(int status, string body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ProviderException($"prometheus answered HTTP {status} with a body that is not JSON: {Excerpt(body)}");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out JsonElement st))
            {
                throw new ProviderException($"prometheus answered HTTP {status} without a status: {Excerpt(body)}");
            }

            if (st.GetString() != "success")
            {
                string type = root.TryGetProperty("errorType", out JsonElement t) ? t.GetString() ?? "error" : "error";
                string error = root.TryGetProperty("error", out JsonElement m) ? m.GetString() ?? string.Empty : string.Empty;
                throw new ProviderException($"{type}: {error}");
            }

            if (!root.TryGetProperty("data", out JsonElement data) || !data.TryGetProperty("resultType", out JsonElement rt) || !data.TryGetProperty("result", out JsonElement result))
            {
                throw new ProviderException($"prometheus answered without data.resultType and data.result: {Excerpt(body)}");
            }

            Dictionary<string, string>? metadata = null;
            if (root.TryGetProperty("warnings", out JsonElement w) && w.ValueKind == JsonValueKind.Array && w.GetArrayLength() > 0)
            {
                metadata = new() { ["warnings"] = string.Join(", ", w.EnumerateArray().Select(x => $"\"{x.GetString()}\"")) };
            }

            switch (rt.GetString())
            {
                case "scalar":
                    double scalar = Sample(result);
                    return new ProviderResult(scalar, FormatFloat(scalar), metadata);
                case "vector":
                    var vector = result.EnumerateArray().Select(s => Sample(s.GetProperty("value"))).ToList();
                    return new ProviderResult(vector.Cast<object?>().ToList(), $"[{string.Join(",", vector.Select(FormatFloat))}]", metadata);
                case "matrix":
                    var matrix = result.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray().Select(Sample)).ToList();
                    return new ProviderResult(matrix.Cast<object?>().ToList(), $"[{string.Join(",", matrix.Select(FormatFloat))}]", metadata);
                default:
                    throw new ProviderException("Prometheus metric type not supported");
            }
        }
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>, as Prometheus prints a sample value.</summary>
    public static string FormatFloat(double v)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "+Inf" : "-Inf";
        }

        string r = v.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        if (e < 0)
        {
            return r;
        }

        // Expand the exponent: digits and a decimal point moved by it.
        bool negative = r[0] == '-';
        string mantissa = r[(negative ? 1 : 0)..e];
        int exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string text = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return negative ? "-" + text : text;
    }

    private static double Sample(JsonElement pair)
    {
        if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[1].GetString() is not { } s)
        {
            throw new ProviderException($"prometheus sample is not [timestamp, \"value\"]: {pair.GetRawText()}");
        }

        return s switch
        {
            "NaN" => double.NaN,
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
            _ => throw new ProviderException($"prometheus sample value {s} is not a number"),
        };
    }

    // Basic authentication is set here; OAuth 2.0 settings are returned for the caller to fetch a token with.
    private static OAuth2ClientCredentials.Settings? Authenticate(HttpRequestMessage request, ObjectMap spec)
    {
        if (Fields.Map(spec, "authentication", "prometheus") is not { } auth)
        {
            return null;
        }

        if (Fields.Map(auth, "basicAuth", "prometheus.authentication") is { } basic)
        {
            string user = Fields.String(basic, "username", "prometheus.authentication.basicAuth") ?? string.Empty;
            string password = Fields.String(basic, "password", "prometheus.authentication.basicAuth") ?? string.Empty;
            if (user.Length > 0 || password.Length > 0)
            {
                if (user.Length == 0)
                {
                    throw new ProviderException("missing mandatory parameter in metric for basic auth setup: username");
                }

                if (password.Length == 0)
                {
                    throw new ProviderException("missing mandatory parameter in metric for basic auth setup: password");
                }

                ProviderHttp.BasicAuth(request, user, password);
            }
        }

        if (Fields.Map(auth, "sigv4", "prometheus.authentication") is { Count: > 0 })
        {
            throw new ProviderException("prometheus authentication: sigv4 (AWS) is not supported here; use basicAuth or oauth2");
        }

        return OAuth2ClientCredentials.Read(Fields.Map(auth, "oauth2", "prometheus.authentication"), "prometheus.authentication.oauth2");
    }

    private static string Excerpt(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
