using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Lookout.Analysis.Providers;
using Lookout.Values.Yaml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Demo;

/// <summary>One scripted answer of a demo endpoint.</summary>
public sealed record ScriptedAnswer(int Status, string Body);

/// <summary>
/// The demo's local health endpoint: an HTTP server on 127.0.0.1 that answers, for each URL of the scenario's
/// <c>endpoints.yaml</c> files, the scripted answers in order (the last repeats). The analyzer's web provider reaches
/// it under the in-cluster URL the template names, through <see cref="HostAliases"/>.
/// </summary>
public sealed partial class DemoEndpoints(DemoOptions options, HostAliases aliases, ILogger<DemoEndpoints> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> served = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, IReadOnlyList<ScriptedAnswer>> scripts = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? server;

    /// <summary>The local address, once started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Every scripted URL of a folder (recursively), keyed <c>host:port/path</c>.</summary>
    /// <exception cref="FormatException">An <c>endpoints.yaml</c> is unreadable; the message names it.</exception>
    public static Dictionary<string, IReadOnlyList<ScriptedAnswer>> Load(string folder)
    {
        var result = new Dictionary<string, IReadOnlyList<ScriptedAnswer>>(StringComparer.OrdinalIgnoreCase);
        if (!Directory.Exists(folder))
        {
            return result;
        }

        foreach (string file in Directory.EnumerateFiles(folder, "endpoints.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (JsonNode doc in YamlDocuments.Parse(File.ReadAllText(file), file))
            {
                foreach (JsonObject entry in (doc as JsonArray ?? throw new FormatException($"{file}: expected a list of {{url, answers}}")).OfType<JsonObject>())
                {
                    if (!Uri.TryCreate((string?)entry["url"], UriKind.Absolute, out Uri? url))
                    {
                        throw new FormatException($"{file}: an entry without an absolute url");
                    }

                    List<ScriptedAnswer> answers = [.. (entry["answers"] as JsonArray ?? []).OfType<JsonObject>()
                        .Select(a => new ScriptedAnswer(a["status"] is JsonValue s && s.TryGetValue(out int code) ? code : 200, (string?)a["body"] ?? string.Empty))];
                    result[Key(url.Host, url.Port, url.AbsolutePath)] = answers.Count > 0 ? answers : throw new FormatException($"{file}: {url} has no answers");
                }
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        scripts = Load(options.ScenarioPath!);
        if (scripts.Count == 0)
        {
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server = builder.Build();
        server.Run(AnswerAsync);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        Address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        foreach (string key in scripts.Keys)
        {
            string hostPort = key[..key.IndexOf('/', StringComparison.Ordinal)];
            int colon = hostPort.LastIndexOf(':');
            aliases.Set(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), Address);
        }

        Log.Serving(logger, Address, string.Join(", ", scripts.Keys));
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        HostString host = context.Request.Host;
        string key = Key(host.Host, host.Port ?? 80, context.Request.Path.HasValue ? context.Request.Path.Value! : "/");
        if (!scripts.TryGetValue(key, out IReadOnlyList<ScriptedAnswer>? answers))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"the demo scripts no answer for {key}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        int i = served.AddOrUpdate(key, 0, (_, n) => n + 1);
        ScriptedAnswer answer = answers[Math.Min(i, answers.Count - 1)];
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Key(string host, int port, string path) => $"{host}:{port}{(path.Length == 0 ? "/" : path)}";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "demo endpoints at {Address} answer for {Urls}")]
        public static partial void Serving(ILogger logger, Uri address, string urls);
    }
}
