using Lookout.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lookout.Analysis.Tests;

/// <summary>A local HTTP endpoint on 127.0.0.1 whose answer the test sets; it records the requests it receives.</summary>
internal sealed class LocalEndpoint : IAsyncDisposable
{
    private WebApplication app = null!;

    public int Port { get; } = FreePorts.Next();

    public string Url => $"http://127.0.0.1:{Port}";

    public int Status { get; set; } = 200;

    public string Body { get; set; } = "{}";

    public string ContentType { get; set; } = "application/json";

    public TimeSpan Delay { get; set; }

    public List<(string Method, string Path, string Body, Dictionary<string, string> Headers)> Requests { get; } = [];

    public static async Task<LocalEndpoint> StartAsync()
    {
        var e = new LocalEndpoint();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(e.Url);
        e.app = builder.Build();
        e.app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            lock (e.Requests)
            {
                e.Requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            }

            if (e.Delay > TimeSpan.Zero)
            {
                await Task.Delay(e.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = e.Status;
            context.Response.ContentType = e.ContentType;
            await context.Response.WriteAsync(e.Body);
        });
        await e.app.StartAsync();
        return e;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
