using System.Collections.Concurrent;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.Tests.Kubernetes;

namespace Lookout.Watcher.Tests.Publishing;

public sealed class BufferedPublisherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static OutgoingEvent Event(string obj, int version) =>
        new(Guid.NewGuid(), $"{obj}@{version}", $"Application/uid-{obj}", $"Application argocd/{obj}");

    private static PublisherOptions Options(int capacity = 1000, int lanes = 8) => new()
    {
        BufferCapacity = capacity,
        Lanes = lanes,
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        DrainTimeout = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task ManyObjectsInParallel_EachObjectsEventsArriveInOrder()
    {
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        using var publisher = new BufferedPublisher(Options(), async (e, ct) =>
        {
            await Task.Delay(Random.Shared.Next(0, 3), ct);
            received.Enqueue((string)e.Message);
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);

        for (int version = 0; version < 20; version++)
        {
            for (int obj = 0; obj < 30; obj++)
            {
                await publisher.EnqueueAsync(Event($"app{obj}", version), CancellationToken.None);
            }
        }

        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(600, received.Count);
        foreach (IGrouping<string, string> perObject in received.GroupBy(m => m.Split('@')[0]))
        {
            Assert.Equal(Enumerable.Range(0, 20), perObject.Select(m => int.Parse(m.Split('@')[1], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task BrokerDown_EventsAreHeldAndRetried_UntilItComesBack()
    {
        int failuresLeft = 25;
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        using var publisher = new BufferedPublisher(Options(lanes: 1), (e, ct) =>
        {
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                throw new InvalidOperationException("broker unreachable");
            }

            received.Enqueue((string)e.Message);
            return Task.CompletedTask;
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);

        for (int version = 0; version < 10; version++)
        {
            await publisher.EnqueueAsync(Event("a", version), CancellationToken.None);
        }

        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 10).Select(v => $"a@{v}"), received);
        Assert.Contains(logger.Messages, m => m.Contains("Publishing Application argocd/a failed", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.Contains("Publishing recovered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullBuffer_BlocksTheCaller_InsteadOfDropping()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        using var publisher = new BufferedPublisher(Options(capacity: 2, lanes: 1), async (e, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            received.Enqueue((string)e.Message);
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);

        // The buffer holds two events (the one being published included) and nothing is confirmed while the gate
        // is shut: the first two are accepted, the third cannot be, whatever the timing.
        var accepted = new List<Task>();
        for (int version = 0; version < 3; version++)
        {
            accepted.Add(publisher.EnqueueAsync(Event("a", version), CancellationToken.None).AsTask());
        }

        await Task.WhenAll(accepted.Take(2)).WaitAsync(Timeout);
        Assert.False(accepted[2].IsCompleted, "the third event was accepted although the buffer was full");
        Assert.Equal(2, publisher.Pending);

        gate.SetResult();
        await accepted[2].WaitAsync(Timeout);
        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        await publisher.StopAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 3).Select(v => $"a@{v}"), received);
    }

    [Fact]
    public async Task UnpublishableEvent_IsLoggedWithItsObject_AndTheRestFlows()
    {
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        using var publisher = new BufferedPublisher(Options(), (e, ct) =>
        {
            if ((string)e.Message == "bad@0")
            {
                throw new NotSupportedException("cannot serialize");
            }

            received.Enqueue((string)e.Message);
            return Task.CompletedTask;
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);
        await publisher.EnqueueAsync(Event("bad", 0), CancellationToken.None);
        await publisher.EnqueueAsync(Event("good", 0), CancellationToken.None);
        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(["good@0"], received);
        Assert.Contains(logger.Messages, m => m.Contains("Cannot publish Application argocd/bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppedWhileTheBrokerIsDown_EveryEventLeftIsLoggedByName()
    {
        using var logger = new ListLogger();
        var tried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var publisher = new BufferedPublisher(Options(lanes: 2), (e, ct) =>
        {
            tried.TrySetResult();
            throw new InvalidOperationException("broker unreachable");
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);
        for (int obj = 0; obj < 6; obj++)
        {
            await publisher.EnqueueAsync(Event($"app{obj}", 0), CancellationToken.None);
        }

        await tried.Task.WaitAsync(Timeout);

        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(0, publisher.Pending);
        for (int obj = 0; obj < 6; obj++)
        {
            Assert.Contains(logger.Messages, m => m.Contains($"Gave up the event of Application argocd/app{obj}", StringComparison.Ordinal));
        }
    }
}
