using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lookout.Testing.Http;

/// <summary>A request the receiver recorded.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body as JSON (null when it is not).</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>An answer the receiver gives instead of its default one.</summary>
public sealed record ScriptedReply(int Status, string Body, string? RetryAfter = null, string ContentType = "application/json");

/// <summary>
/// A local HTTP server on 127.0.0.1 that answers as Slack's Web API (<c>/api/chat.postMessage</c> and
/// <c>/api/chat.update</c>: <c>{"ok": true, "channel", "ts"}</c>), a Slack incoming webhook (<c>ok</c>), a Teams
/// connector (<c>1</c>) or any webhook (<c>200</c>), records every request, and can be told to answer the next requests
/// otherwise: 429 with Retry-After, 5xx, <c>{"ok": false, "error": …}</c>.
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly ConcurrentQueue<ScriptedReply> script = new();
    private WebApplication app = null!;
    private long timestamp = 1_700_000_000;

    /// <summary>The base address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Slack's Web API base for <c>apiURL</c>.</summary>
    public string SlackApiUrl => new Uri(BaseAddress, "/api/").ToString();

    /// <summary>Requests received, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => requests.ToArray();

    /// <summary>Starts a receiver on a free port.</summary>
    public static async Task<HttpReceiver> StartAsync()
    {
        var receiver = new HttpReceiver();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver.app = builder.Build();
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync().ConfigureAwait(false);
        receiver.BaseAddress = new Uri(receiver.app.Urls.First());
        return receiver;
    }

    /// <summary>
    /// Called for every request as it arrives (after it is recorded, before any queued reply): the reply it returns is
    /// given instead of the default one; null keeps the usual behaviour. For load drivers (arrival times, 429s for a
    /// share of requests).
    /// </summary>
    public Func<ReceivedRequest, ScriptedReply?>? Responder { get; set; }

    /// <summary>Answers the next request with <paramref name="reply"/> (queued replies are used in order).</summary>
    public void Enqueue(ScriptedReply reply) => script.Enqueue(reply);

    /// <summary>Waits until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (requests.Count < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{requests.Count} of {count} requests arrived within {timeout}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return Requests;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync().ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body);
        requests.Enqueue(request);
        if (Responder?.Invoke(request) is { } reply || script.TryDequeue(out reply))
        {
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            await context.Response.WriteAsync(reply.Body).ConfigureAwait(false);
            return;
        }

        string path = request.Path;
        if (path.EndsWith("/chat.postMessage", StringComparison.Ordinal) || path.EndsWith("/chat.update", StringComparison.Ordinal))
        {
            JsonNode? json = request.Json;
            string channel = (string?)json?["channel"] ?? string.Empty;
            string ts = path.EndsWith("/chat.update", StringComparison.Ordinal)
                ? (string?)json?["ts"] ?? string.Empty
                : Interlocked.Increment(ref timestamp).ToString(CultureInfo.InvariantCulture) + ".000100";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["ok"] = true, ["channel"] = "C-" + channel, ["ts"] = ts }.ToJsonString()).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(path.Contains("teams", StringComparison.Ordinal) ? "1" : "ok").ConfigureAwait(false);
    }
}
