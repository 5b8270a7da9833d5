using System.Collections.Concurrent;
using Lookout.Contracts;
using MassTransit;

namespace Lookout.Watcher.Tests.EndToEnd;

/// <summary>What a real consumer received from the broker, in arrival order.</summary>
public sealed class EventSink
{
    private readonly ConcurrentQueue<(Guid MessageId, string Description)> received = new();
    private readonly Lock gate = new();
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(Guid MessageId, string Description)> Received => received.ToArray();

    public void Add(Guid messageId, string description)
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            received.Enqueue((messageId, description));
            previous = arrived;
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>Waits until <paramref name="predicate"/> holds for what was received.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<(Guid MessageId, string Description)>, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (predicate(Received))
                {
                    return;
                }

                next = arrived.Task;
            }

            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"received {received.Count}: {string.Join(" | ", Received.Select(r => r.Description))}");
            }
        }
    }
}

/// <summary>Records every message of the watcher's contracts into the <see cref="EventSink"/>.</summary>
public sealed class RecordingConsumer(EventSink sink) : IConsumer<ApplicationChanged>, IConsumer<ObjectDeleted>
{
    public Task Consume(ConsumeContext<ApplicationChanged> context)
    {
        ApplicationChanged m = context.Message;
        sink.Add(context.MessageId ?? Guid.Empty, $"app {m.Object.Namespace}/{m.Object.Name} {m.Summary.SyncStatus}/{m.Summary.HealthStatus}{(m.IsResync ? " resync" : string.Empty)}");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ObjectDeleted> context)
    {
        sink.Add(context.MessageId ?? Guid.Empty, $"deleted {context.Message.Kind} {context.Message.Object.Namespace}/{context.Message.Object.Name}");
        return Task.CompletedTask;
    }
}
