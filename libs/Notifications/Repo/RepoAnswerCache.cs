namespace Lookout.Notifications.Repo;

/// <summary>An answer of the repo server, or why there is none.</summary>
/// <param name="Value">A <see cref="CommitMetadata"/> or an <see cref="AppDetail"/>.</param>
/// <param name="Error">The failure (down, slow, unknown revision), already phrased for a template's error.</param>
public sealed record RepoAnswer(object? Value, string? Error);

/// <summary>
/// The repo server's answers by key, at most <c>capacity</c> of them (the least recently used go first). An answer is
/// kept for <c>answerFor</c>, a failure for <c>failureFor</c>; a question already in flight is not asked again, so a
/// burst of notifications about one sync asks the repo server once.
/// </summary>
public sealed class RepoAnswerCache(int capacity, TimeSpan answerFor, TimeSpan failureFor, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new();
    private long hits;
    private long misses;

    /// <summary>Questions answered from the cache (or joined while in flight).</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Questions sent to the repo server.</summary>
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>Entries held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>
    /// The answer to <paramref name="key"/>: the cached or in-flight one, else <paramref name="fetch"/>'s (started now,
    /// never faulted: a failure becomes <see cref="RepoAnswer.Error"/>). The returned task may already be complete.
    /// </summary>
    public Task<RepoAnswer> GetOrFetch(string key, Func<Task<RepoAnswer>> fetch) => GetOrFetch(key, fetch, out _);

    /// <summary>As <see cref="GetOrFetch(string, Func{Task{RepoAnswer}})"/>; <paramref name="cached"/> tells whether the answer was cached or in flight.</summary>
    public Task<RepoAnswer> GetOrFetch(string key, Func<Task<RepoAnswer>> fetch, out bool cached)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fetch);
        Entry entry;
        lock (gate)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (entries.TryGetValue(key, out LinkedListNode<Entry>? node) && !(node.Value.Answer.IsCompleted && node.Value.ExpiresAt <= now))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                Interlocked.Increment(ref hits);
                cached = true;
                return node.Value.Answer;
            }

            if (node is not null)
            {
                recency.Remove(node);
                entries.Remove(key);
            }

            entry = new Entry(key);
            entries[key] = recency.AddFirst(entry);
            while (entries.Count > capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }

            Interlocked.Increment(ref misses);
        }

        cached = false;
        _ = Complete(entry, fetch);
        return entry.Answer;
    }

    private async Task Complete(Entry entry, Func<Task<RepoAnswer>> fetch)
    {
        RepoAnswer answer;
        try
        {
            answer = await fetch().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the answer is shared by every waiter: any failure becomes the answer's error, never a faulted task
        catch (Exception ex)
#pragma warning restore CA1031
        {
            answer = new RepoAnswer(null, ex is RepoServerException ? ex.Message : $"asking the repo server failed: {ex.Message}");
        }

        lock (gate)
        {
            entry.ExpiresAt = clock.GetUtcNow() + (answer.Error is null ? answerFor : failureFor);
        }

        entry.Source.SetResult(answer);
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public TaskCompletionSource<RepoAnswer> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<RepoAnswer> Answer => Source.Task;

        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;
    }
}
