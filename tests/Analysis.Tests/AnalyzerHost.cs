using System.Collections.Concurrent;
using Lookout.Analyzer;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Testing.Kubernetes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Analysis.Tests;

/// <summary>
/// The analyzer as its Program composes it (options, analysis domain, gate, shadow and request modes, the start-up
/// list of Rollouts, its consumers on the bus) against the fake Kubernetes API, with a probe that records every
/// verdict on the bus. In memory, or on a real RabbitMQ node when <c>rabbitMqUrl</c> is given.
/// </summary>
internal sealed class AnalyzerHost : IAsyncDisposable
{
    private readonly IHost host;

    private AnalyzerHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public static async Task<AnalyzerHost> StartAsync(FakeKubernetesApiServer api, VerdictProbe probe, bool shadow = false, string? rabbitMqUrl = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analyzer:ApiServer"] = api.BaseAddress.ToString(),
            ["Analyzer:Shadow"] = shadow ? "true" : "false",
            ["Bus:RabbitMq:Url"] = rabbitMqUrl,
        });
        builder.Services.AddLogging(l => { if (Environment.GetEnvironmentVariable("ANALYZER_TEST_LOG") is not null) { l.AddSimpleConsole(); } });
        builder.Services.AddSingleton(probe);
        builder.Services.AddAnalyzer(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus =>
        {
            bus.AddAnalyzerConsumers();
            bus.AddConsumer<VerdictProbeConsumer>();
        });
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        IHost host = builder.Build();

        // MassTransit keeps its log context in an AsyncLocal: a host started again in the same test would find the
        // stopped host's (disposed) logger factory there.
        LogContext.Current = null;
        await host.StartAsync();
        return new AnalyzerHost(host);
    }

    /// <summary>Stops the host, giving in-flight consumers <paramref name="grace"/> before they are cancelled.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        await host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        host.Dispose();
    }
}

/// <summary>Every verdict seen on the bus, with its message id.</summary>
internal sealed class VerdictProbe
{
    private readonly ConcurrentQueue<(Guid? MessageId, AnalysisVerdict Verdict)> seen = new();
    private readonly List<(Func<AnalysisVerdict, bool> Match, TaskCompletionSource<(Guid? MessageId, AnalysisVerdict Verdict)> Signal)> waiters = [];

    public IReadOnlyList<(Guid? MessageId, AnalysisVerdict Verdict)> Seen => [.. seen];

    public void Add(Guid? messageId, AnalysisVerdict verdict)
    {
        lock (waiters)
        {
            seen.Enqueue((messageId, verdict));
            foreach (var w in waiters.Where(w => w.Match(verdict)).ToList())
            {
                waiters.Remove(w);
                w.Signal.TrySetResult((messageId, verdict));
            }
        }
    }

    /// <summary>The first verdict matching <paramref name="match"/>, waiting up to <paramref name="timeout"/> for it.</summary>
    public Task<(Guid? MessageId, AnalysisVerdict Verdict)> WaitAsync(Func<AnalysisVerdict, bool> match, TimeSpan timeout)
    {
        lock (waiters)
        {
            foreach (var s in seen.Where(s => match(s.Verdict)))
            {
                return Task.FromResult(s);
            }

            var signal = new TaskCompletionSource<(Guid?, AnalysisVerdict)>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((match, signal));
            return signal.Task.WaitAsync(timeout);
        }
    }
}

internal sealed class VerdictProbeConsumer(VerdictProbe probe) : IConsumer<AnalysisVerdict>
{
    public Task Consume(ConsumeContext<AnalysisVerdict> context)
    {
        probe.Add(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}
