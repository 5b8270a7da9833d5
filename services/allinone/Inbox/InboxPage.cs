using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Lookout.Hosting;
using Lookout.Notifier;
using Lookout.Notifier.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using InboxStore = Lookout.Notifications.Services.Inbox.Inbox;

namespace Lookout.AllInOne.Inbox;

/// <summary>
/// The inbox page of the all-in-one host: <c>/</c> shows, live, what each destination received and each Rollout's
/// analysis, and previews a notification for a pasted object (the config author). Its files are embedded resources.
/// </summary>
public static class InboxPage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    /// <summary>
    /// The page's policy: its own scripts and styles only; an email's HTML runs in a sandboxed frame (no scripts, an
    /// opaque origin) and may use inline styles and inline images.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self' about:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Adds the inbox (the default destination in the embedded mode) and its options.</summary>
    public static IServiceCollection AddInboxPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<InboxOptions>(configuration, InboxOptions.SectionName, InboxOptions.Check);
        services.AddSingleton(sp => new InboxStore(
            sp.GetRequiredService<IOptions<InboxOptions>>().Value.Capacity,
            isDefaultDestination: sp.GetRequiredService<NotifierOptions>().IsEmbedded,
            sp.GetRequiredService<TimeProvider>(),
            capturesAll: sp.GetRequiredService<IOptions<InboxOptions>>().Value.CaptureAll));
        return services;
    }

    /// <summary>
    /// Maps <c>/</c> (the page), <c>/inbox/{file}</c> (its script and style), <c>GET /inbox/api/messages?since=N</c>
    /// (what changed after version N), <c>GET /inbox/api/stream</c> (the same as server-sent events),
    /// <c>GET /inbox/api/triggers</c> and <c>POST /inbox/api/preview</c> (the config author).
    /// </summary>
    public static IEndpointRouteBuilder MapInboxPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", () => File("index.html"));
        endpoints.MapGet("/inbox/{file}", (string file) => File(file));
        endpoints.MapGet("/inbox/api/messages", (long? since, InboxStore inbox) =>
        {
            (var messages, long version) = inbox.Since(since ?? 0);
            return Results.Json(new { version, capacity = inbox.Capacity, defaultDestination = inbox.IsDefaultDestination, messages }, Json);
        });
        endpoints.MapGet("/inbox/api/stream", StreamAsync);
        endpoints.MapGet("/inbox/api/triggers", async (NotificationConfigProvider configs, CancellationToken ct) =>
            Results.Json((await configs.GetAsync(ct).ConfigureAwait(false)).TriggerDefinitions.Keys.Order(StringComparer.Ordinal), Json));
        endpoints.MapPost("/inbox/api/preview", async (PreviewRequest request, NotificationConfigProvider configs, CancellationToken ct) =>
            Results.Json(ConfigAuthor.Preview(request, await configs.GetAsync(ct).ConfigureAwait(false)), Json));
        return endpoints;
    }

    private static IResult File(string name)
    {
        Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("inbox/" + name);
        if (stream is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out string? type))
        {
            stream?.Dispose();
            return Results.NotFound();
        }

        return new PageFile(stream, type);
    }

    /// <summary>Server-sent events: one <c>message</c> event per stored or updated message (its id is the version), then keep-alives.</summary>
    private static async Task StreamAsync(HttpContext context, InboxStore inbox, IOptions<InboxOptions> options, IHostApplicationLifetime lifetime)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        long seen = long.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out long last) ? last : 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        CancellationToken ct = stop.Token;
        try
        {
            await response.WriteAsync("retry: 1000\n\n", ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                (var messages, long version) = inbox.Since(seen);
                var text = new StringBuilder();
                foreach (var m in messages)
                {
                    text.Append(CultureInfo.InvariantCulture, $"id: {m.Version}\nevent: message\ndata: {JsonSerializer.Serialize(m, Json)}\n\n");
                }

                if (text.Length > 0)
                {
                    await response.WriteAsync(text.ToString(), ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                }

                seen = version;
                try
                {
                    await inbox.WaitForChangeAsync(seen, ct).WaitAsync(options.Value.KeepAlive, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away, or the host is stopping.
        }
    }

    /// <summary>A page file with the page's security headers.</summary>
    private sealed class PageFile(Stream stream, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using (stream.ConfigureAwait(false))
            {
                HttpResponse response = httpContext.Response;
                response.ContentType = contentType;
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers["Referrer-Policy"] = "no-referrer";
                response.Headers.CacheControl = "no-cache";
                await stream.CopyToAsync(response.Body, httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
