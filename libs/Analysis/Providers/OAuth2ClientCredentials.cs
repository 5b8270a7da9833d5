using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lookout.Values;

namespace Lookout.Analysis.Providers;

/// <summary>
/// <c>authentication.oauth2</c> (<c>tokenUrl</c>, <c>clientId</c>, <c>clientSecret</c>, <c>scopes</c>): the OAuth 2.0
/// client-credentials grant as Argo gets it from <c>golang.org/x/oauth2/clientcredentials</c>. The client first
/// authenticates with HTTP basic authentication (id and secret URL-encoded), and when the token endpoint refuses
/// that, sends them as form fields; <c>scope</c> is the scopes joined by spaces. The token is sent as
/// <c>Authorization: Bearer</c> and kept until 10 s before it expires (Argo asks again for every measurement; the
/// grant gives the same access either way).
/// </summary>
public sealed class OAuth2ClientCredentials(ProviderHttp http, TimeProvider? time = null)
{
    private static readonly TimeSpan ExpiryDelta = TimeSpan.FromSeconds(10);
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Type, string Token, DateTimeOffset? Expires)> tokens = new(StringComparer.Ordinal);

    /// <summary>The settings of an <c>oauth2</c> block; null when it names no <c>tokenUrl</c> (Argo then sends no token).</summary>
    /// <exception cref="ProviderException">A token URL without a client id or secret.</exception>
    public static Settings? Read(ObjectMap? oauth2, string where)
    {
        if (oauth2 is null || Fields.String(oauth2, "tokenUrl", where) is not { Length: > 0 } url)
        {
            return null;
        }

        string id = Fields.String(oauth2, "clientId", where) ?? string.Empty;
        string secret = Fields.String(oauth2, "clientSecret", where) ?? string.Empty;
        if (id.Length == 0 || secret.Length == 0)
        {
            throw new ProviderException("missing mandatory parameter in metric for OAuth2 setup");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? tokenUrl))
        {
            throw new ProviderException($"{where}.tokenUrl is not a URL");
        }

        var scopes = oauth2.TryGetValue("scopes", out object? s) && s is List<object?> list ? list.OfType<string>().ToList() : [];
        return new Settings(tokenUrl, id, secret, scopes);
    }

    /// <summary>Adds the bearer token to a request, fetching one when none is kept.</summary>
    /// <exception cref="ProviderException">The token endpoint cannot be reached or refuses the client.</exception>
    public async Task AuthorizeAsync(HttpRequestMessage request, Settings settings, bool insecure, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        string key = settings.Key;
        if (!tokens.TryGetValue(key, out var token) || token.Expires is { } expires && clock.GetUtcNow() >= expires - ExpiryDelta)
        {
            token = await FetchAsync(settings, insecure, timeout, cancellationToken).ConfigureAwait(false);
            tokens[key] = token;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(token.Type, token.Token);
    }

    private async Task<(string Type, string Token, DateTimeOffset? Expires)> FetchAsync(Settings s, bool insecure, TimeSpan timeout, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (s.Scopes.Count > 0)
        {
            form.Add(new("scope", string.Join(' ', s.Scopes)));
        }

        using (var inHeader = new HttpRequestMessage(HttpMethod.Post, s.TokenUrl) { Content = new FormUrlEncodedContent(form) })
        {
            ProviderHttp.BasicAuth(inHeader, QueryEscape(s.ClientId), QueryEscape(s.ClientSecret));
            var (status, body) = await http.SendAsync(inHeader, insecure, timeout, ct).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                return Parse(status, body);
            }
        }

        using var inParams = new HttpRequestMessage(HttpMethod.Post, s.TokenUrl)
        {
            Content = new FormUrlEncodedContent([.. form, new("client_id", s.ClientId), new("client_secret", s.ClientSecret)]),
        };
        var (status2, body2) = await http.SendAsync(inParams, insecure, timeout, ct).ConfigureAwait(false);
        if (status2 is < 200 or >= 300)
        {
            throw new ProviderException($"oauth2: cannot fetch token: HTTP {status2} from {s.TokenUrl.GetLeftPart(UriPartial.Path)}: {Excerpt(body2, s.ClientSecret)}");
        }

        return Parse(status2, body2);
    }

    private (string Type, string Token, DateTimeOffset? Expires) Parse(int status, string body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out JsonElement t) || t.GetString() is not { Length: > 0 } token)
            {
                throw new ProviderException($"oauth2: server response missing access_token (HTTP {status})");
            }

            string type = root.TryGetProperty("token_type", out JsonElement tt) && tt.GetString() is { Length: > 0 } given
                && !given.Equals("bearer", StringComparison.OrdinalIgnoreCase) ? given : "Bearer";
            DateTimeOffset? expires = root.TryGetProperty("expires_in", out JsonElement e) && e.TryGetInt64(out long seconds) && seconds > 0
                ? clock.GetUtcNow().AddSeconds(seconds) : null;
            return (type, token, expires);
        }
        catch (JsonException)
        {
            throw new ProviderException($"oauth2: cannot parse the token endpoint's answer (HTTP {status}): not JSON");
        }
    }

    // Go's url.QueryEscape: every byte but letters, digits and -_.~ escaped, a space as '+'.
    private static string QueryEscape(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);

    private static string Excerpt(string body, string secret)
    {
        string masked = secret.Length > 0 ? body.Replace(secret, "*****", StringComparison.Ordinal) : body;
        return masked.Length <= 200 ? masked : masked[..200] + "…";
    }

    /// <summary>One <c>oauth2</c> block.</summary>
    public sealed record Settings(Uri TokenUrl, string ClientId, string ClientSecret, IReadOnlyList<string> Scopes)
    {
        /// <summary>Which kept token these settings use (the secret only as a hash).</summary>
        internal string Key => $"{TokenUrl}\n{ClientId}\n{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret)))}\n{string.Join(' ', Scopes)}";
    }
}
