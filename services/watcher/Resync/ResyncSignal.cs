namespace Lookout.Watcher.Resync;

/// <summary>
/// A resync asked of one <see cref="Kubernetes.ResourceWatcher"/>: interrupts its watch so its own loop re-lists and
/// restates every object, the path of the start-up listing. Requests that arrive before that re-list begins share it.
/// </summary>
public sealed class ResyncSignal
{
    private readonly object gate = new();
    private TaskCompletionSource? waiting;
    private TaskCompletionSource? listing;
    private CancellationTokenSource? watch;

    /// <summary>Asks for a re-list; completes once it has been handed to the publisher.</summary>
    public Task Request()
    {
        lock (gate)
        {
            waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                watch?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That watch has ended already; the loop takes the request before its next one.
            }

            return waiting.Task;
        }
    }

    /// <summary>True when a re-list was asked for: the loop lists next, then calls <see cref="Listed"/>.</summary>
    public bool TryTake()
    {
        lock (gate)
        {
            listing = waiting;
            waiting = null;
            return listing is not null;
        }
    }

    /// <summary>The re-list taken by <see cref="TryTake"/> was published.</summary>
    public void Listed()
    {
        lock (gate)
        {
            listing?.TrySetResult();
            listing = null;
        }
    }

    /// <summary>The token one watch runs with: cancelled by the next <see cref="Request"/>.</summary>
    public CancellationTokenSource WatchCancellation(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (waiting is not null)
            {
                watch.Cancel();
            }

            return watch;
        }
    }

    /// <summary>Whether a watch ended because a re-list was asked for (and not because the term ended).</summary>
    public bool Interrupted(CancellationTokenSource watchCancellation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watchCancellation);
        return watchCancellation.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
    }

    /// <summary>The watcher stopped: what was asked of it will not happen in this term (a new term lists everything anyway).</summary>
    public void Abandon()
    {
        lock (gate)
        {
            listing?.TrySetCanceled();
            waiting?.TrySetCanceled();
            listing = waiting = null;
            watch = null;
        }
    }
}
