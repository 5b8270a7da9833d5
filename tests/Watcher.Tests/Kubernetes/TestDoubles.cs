using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Lookout.Contracts;
using Lookout.Watcher.Publishing;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Tests.Kubernetes;

/// <summary>An <see cref="IEventPublisher"/> that records events and can be made to block (a full buffer).</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    private readonly ConcurrentQueue<OutgoingEvent> events = new();
    private readonly object gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? blockedSignal;

    /// <summary>When set, EnqueueAsync waits on this task before accepting (back-pressure).</summary>
    public Task? Gate { get; set; }

    public IReadOnlyList<OutgoingEvent> Events => events.ToArray();

    /// <summary>Completes when EnqueueAsync is waiting on <see cref="Gate"/>.</summary>
    public Task Blocked
    {
        get
        {
            lock (gate)
            {
                blockedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return blockedSignal.Task;
            }
        }
    }

    public async ValueTask EnqueueAsync(OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        if (Gate is { IsCompleted: false } held)
        {
            lock (gate)
            {
                blockedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                blockedSignal.TrySetResult();
            }

            await held.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        events.Enqueue(outgoing);
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until at least <paramref name="count"/> events were recorded.</summary>
    public async Task<IReadOnlyList<OutgoingEvent>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task next;
            lock (gate)
            {
                next = changed.Task;
            }

            if (events.Count >= count)
            {
                return Events;
            }

            try
            {
                await next.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"expected {count} events, got {events.Count}: {string.Join(", ", Events.Select(Describe))}");
            }
        }
    }

    /// <summary>An event in a few words, for assertions: <c>app argocd/a Synced/Healthy</c>, <c>deleted Rollout argocd/r</c>.</summary>
    public static string Describe(OutgoingEvent e) => e.Message switch
    {
        ApplicationChanged a => $"app {a.Object.Namespace}/{a.Object.Name} {a.Summary.SyncStatus}/{a.Summary.HealthStatus}{(a.IsResync ? " resync" : string.Empty)}",
        RolloutChanged r => $"rollout {r.Object.Namespace}/{r.Object.Name} {r.Summary.Phase} step={r.Summary.CurrentStepIndex}{(r.IsResync ? " resync" : string.Empty)}",
        ObjectDeleted d => $"deleted {d.Kind} {d.Object.Namespace}/{d.Object.Name}",
        RolloutEventRecorded r => $"event {r.Reason} on {r.InvolvedObject.Kind} {r.InvolvedObject.Namespace}/{r.InvolvedObject.Name} count={r.Count} rollout={r.Rollout.Name}",
        _ => e.Message.GetType().Name,
    };
}

/// <summary>A logger that keeps formatted messages.</summary>
internal sealed class ListLogger : ILogger, ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyList<string> Messages => messages.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        messages.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Builders of Argo objects as JSON.</summary>
internal static class Objects
{
    public static JsonObject Application(string name, string sync = "Synced", string health = "Healthy", string ns = "argocd", string? revision = "abc123") => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["team"] = "payments" } },
        ["spec"] = new JsonObject
        {
            ["project"] = "default",
            ["source"] = new JsonObject { ["repoURL"] = "https://example.com/repo.git", ["path"] = name, ["targetRevision"] = "HEAD" },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = name },
        },
        ["status"] = new JsonObject
        {
            ["sync"] = new JsonObject { ["status"] = sync, ["revision"] = revision },
            ["health"] = new JsonObject { ["status"] = health },
            ["reconciledAt"] = "2026-01-01T00:00:00Z",
        },
    };

    public static JsonObject Rollout(string name, string phase = "Healthy", int step = 0, string ns = "argocd") => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Rollout",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["generation"] = 1,
            ["annotations"] = new JsonObject { ["rollout.argoproj.io/revision"] = "1" },
        },
        ["spec"] = new JsonObject { ["replicas"] = 3 },
        ["status"] = new JsonObject { ["phase"] = phase, ["currentStepIndex"] = step, ["stableRS"] = "abc" },
    };
}
