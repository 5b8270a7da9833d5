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

    /// <summary>When set, answers each request from its body and headers instead of <see cref="Status"/> and <see cref="Body"/>.</summary>
    public Func<string, Dictionary<string, string>, (int Status, string Body)>? Answer { get; set; }

    /// <summary>While set and not completed, answers wait for it (a measurement held in flight).</summary>
    public TaskCompletionSource? Hold { get; set; }

    private readonly List<(int Count, TaskCompletionSource Signal)> waiters = [];

    /// <summary>Completes once <paramref name="count"/> requests have arrived; fails after <paramref name="timeout"/>.</summary>
    public Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Requests)
        {
            if (Requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(timeout);
    }

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
                foreach (var w in e.waiters.Where(w => e.Requests.Count >= w.Count).ToList())
                {
                    e.waiters.Remove(w);
                    w.Signal.TrySetResult();
                }
            }

            if (e.Hold is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            if (e.Delay > TimeSpan.Zero)
            {
                await Task.Delay(e.Delay, context.RequestAborted);
            }

            (int status, string answer) = e.Answer is { } answerOf
                ? answerOf(body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase))
                : (e.Status, e.Body);
            context.Response.StatusCode = status;
            context.Response.ContentType = e.ContentType;
            await context.Response.WriteAsync(answer);
        });
        await e.app.StartAsync();
        return e;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
