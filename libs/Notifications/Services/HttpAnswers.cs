using System.Globalization;
using System.Net;

namespace Lookout.Notifications.Services;

/// <summary>How the HTTP services read answers. Errors name the service, never the URL (a webhook URL is a secret).</summary>
public static class HttpAnswers
{
    /// <summary>The wait a 429 asks for: <c>Retry-After</c> in seconds or as a date, else one second.</summary>
    public static TimeSpan RetryAfter(HttpResponseMessage response, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(clock);
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                TimeSpan wait = date - clock.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (response.Headers.TryGetValues("Retry-After", out IEnumerable<string>? values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.FromSeconds(1);
    }

    /// <summary>Throws for a non-2xx answer: 429 as <see cref="RateLimitedException"/>, 5xx (but 501) as retryable, the rest as final.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string service, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new RateLimitedException($"{service}: rate limited (HTTP 429)", RetryAfter(response, clock));
        }

        string body = await Body(response, cancellationToken).ConfigureAwait(false);
        int code = (int)response.StatusCode;
        throw new NotificationSendException($"{service}: request failed with HTTP {code}: {body}", retryable: code >= 500 && code != 501);
    }

    /// <summary>The start of an answer's body, for an error message.</summary>
    public static async Task<string> Body(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Length > 500 ? body[..500] + "…" : body;
    }

    /// <summary>Sends, turning a connection failure into a retryable <see cref="NotificationSendException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new NotificationSendException($"{service}: cannot reach the service: {ex.HttpRequestError}", retryable: true, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotificationSendException($"{service}: the request timed out", retryable: true, ex);
        }
    }
}
