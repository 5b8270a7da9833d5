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

    [Fact]
    public async Task AStuckPublish_HoldsUpOnlyItsOwnObject()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        using var publisher = new BufferedPublisher(Options(lanes: 4096), async (e, ct) =>
        {
            if (((string)e.Message).StartsWith("stuck@", StringComparison.Ordinal))
            {
                await release.Task.WaitAsync(ct);
            }

            received.Enqueue((string)e.Message);
        }, TimeProvider.System, logger);
        await publisher.StartAsync(CancellationToken.None);
        await publisher.EnqueueAsync(Event("stuck", 0), CancellationToken.None);
        await publisher.EnqueueAsync(Event("stuck", 1), CancellationToken.None);
        for (int obj = 0; obj < 10; obj++)
        {
            await publisher.EnqueueAsync(Event($"app{obj}", 0), CancellationToken.None);
        }

        // (The lanes are chosen by a stable hash: none of these ten objects shares the stuck object's lane.)
        // Everything but the stuck object's two events goes out while its publish hangs.
        using (var cts = new CancellationTokenSource(Timeout))
        {
            while (publisher.Pending > 2)
            {
                await Task.Delay(10, cts.Token);
            }
        }

        Assert.Equal(10, received.Count);
        Assert.DoesNotContain(received, m => m.StartsWith("stuck@", StringComparison.Ordinal));
        release.SetResult();
        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        Assert.Equal(["stuck@0", "stuck@1"], received.Where(m => m.StartsWith("stuck@", StringComparison.Ordinal)));
        await publisher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AfterAnOutage_OnePublishGoingThrough_WakesEveryWaitingLane_AndTheOutageIsCounted()
    {
        bool brokerDown = true;
        var received = new ConcurrentQueue<string>();
        using var logger = new ListLogger();
        PublisherOptions options = Options(lanes: 4096);
        options.InitialRetryDelay = TimeSpan.FromHours(1); // lanes would sleep for an hour but for the wake-up
        options.MaxRetryDelay = TimeSpan.FromHours(1);
        var metrics = PublisherMetrics.Unregistered();
        using var publisher = new BufferedPublisher(options, (e, ct) =>
        {
            if (Volatile.Read(ref brokerDown))
            {
                throw new InvalidOperationException("broker unreachable");
            }

            received.Enqueue((string)e.Message);
            return Task.CompletedTask;
        }, TimeProvider.System, logger, metrics);
        await publisher.StartAsync(CancellationToken.None);
        for (int obj = 0; obj < 4; obj++)
        {
            await publisher.EnqueueAsync(Event($"held{obj}", 0), CancellationToken.None);
        }

        using (var cts = new CancellationTokenSource(Timeout))
        {
            while (metrics.Failures.Value < 4)
            {
                await Task.Delay(10, cts.Token);
            }
        }

        Assert.Equal(0, metrics.BrokerConnected.Value);
        Assert.NotNull(publisher.FailingFor);
        Volatile.Write(ref brokerDown, false);
        await publisher.EnqueueAsync(Event("fresh", 0), CancellationToken.None);
        await publisher.FlushAsync(new CancellationTokenSource(Timeout).Token);
        await publisher.StopAsync(CancellationToken.None);

        Assert.Equal(["fresh@0", "held0@0", "held1@0", "held2@0", "held3@0"], received.Order(StringComparer.Ordinal));
        Assert.Equal(4, metrics.Failures.Value);
        Assert.Equal(1, metrics.Outages.Value);
        Assert.Equal(1, metrics.BrokerConnected.Value);
        Assert.Null(publisher.FailingFor);
    }
}
