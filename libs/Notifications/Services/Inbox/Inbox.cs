namespace Lookout.Notifications.Services.Inbox;

/// <summary>
/// What each destination received, kept in memory for the page of the all-in-one host: the last
/// <see cref="Capacity"/> messages (the oldest go first). Slack messages are threaded as Slack threads them: the
/// first message of a grouping key in a channel starts the thread, later ones reply in it (policy <c>Post</c>),
/// replace its first message (<c>Update</c>) or both (<c>PostAndUpdate</c>). Every change bumps <see cref="Version"/>
/// so a reader can ask for what changed since the version it saw.
/// </summary>
public sealed class Inbox
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<long, InboxMessage> messages = [];
    private readonly Dictionary<string, long> threads = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextId;
    private long version;

    /// <summary>Creates an inbox.</summary>
    /// <param name="capacity">How many messages are kept.</param>
    /// <param name="isDefaultDestination">Whether a notification to a service that is not configured comes here (the embedded mode) instead of the dead letters.</param>
    /// <param name="clock">The clock that stamps messages.</param>
    /// <param name="capturesAll">Whether every notification comes here, configured service or not (nothing leaves the process).</param>
    public Inbox(int capacity = 1000, bool isDefaultDestination = true, TimeProvider? clock = null, bool capturesAll = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        IsDefaultDestination = isDefaultDestination || capturesAll;
        CapturesAll = capturesAll;
        this.clock = clock ?? TimeProvider.System;
    }

    public int Capacity { get; }

    /// <summary>Whether notifications to services that are not configured are recorded here rather than dead-lettered.</summary>
    public bool IsDefaultDestination { get; }

    /// <summary>
    /// Whether every notification is recorded here instead of being sent, configured service or not: the demo on its
    /// bundled configuration, whose Slack and SMTP settings are the seed's placeholders.
    /// </summary>
    public bool CapturesAll { get; }

    /// <summary>The change counter: 0 for an empty inbox, then one more per stored or updated message.</summary>
    public long Version
    {
        get
        {
            lock (gate)
            {
                return version;
            }
        }
    }

    /// <summary>Stores a message and returns it as stored (numbered, stamped, threaded).</summary>
    public InboxMessage Add(InboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (gate)
        {
            DateTimeOffset now = clock.GetUtcNow();
            string? threadKey = message.Type == "slack" && message.GroupingKey.Length > 0 && message.Status != InboxStatus.Failed
                ? $"{message.Service}\u001f{message.Recipient}\u001f{message.GroupingKey}"
                : null;
            InboxMessage? parent = threadKey is not null && threads.TryGetValue(threadKey, out long parentId) ? messages.GetValueOrDefault(parentId) : null;
            InboxMessage stored = message with { Id = 0, Version = 0, At = now, ThreadOf = null, Edits = 0, UpdatedAt = null };
            if (parent is null || message.DeliveryPolicy != "Update")
            {
                stored = stored with { Id = ++nextId, Version = ++version, ThreadOf = parent?.Id };
                messages[stored.Id] = stored;
                if (threadKey is not null && parent is null)
                {
                    threads[threadKey] = stored.Id;
                }
            }

            if (parent is not null && message.DeliveryPolicy != "Post")
            {
                InboxMessage updated = parent with
                {
                    Payload = message.Payload,
                    Trigger = message.Trigger,
                    NotificationId = message.NotificationId,
                    Status = message.Status,
                    Error = message.Error,
                    DeliveryPolicy = message.DeliveryPolicy,
                    Edits = parent.Edits + 1,
                    UpdatedAt = now,
                    Version = ++version,
                };
                messages[parent.Id] = updated;
                stored = stored.Id == 0 ? updated : stored;
            }

            while (messages.Count > Capacity)
            {
                long oldest = messages.Keys.First();
                messages.Remove(oldest);
                foreach (string key in threads.Where(kv => kv.Value == oldest).Select(kv => kv.Key).ToList())
                {
                    threads.Remove(key);
                }
            }

            changed.TrySetResult();
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return stored;
        }
    }

    /// <summary>The messages stored or updated after version <paramref name="since"/> (0: all), oldest change first, and the current version.</summary>
    public (IReadOnlyList<InboxMessage> Messages, long Version) Since(long since)
    {
        lock (gate)
        {
            return (messages.Values.Where(m => m.Version > since).OrderBy(m => m.Version).ToList(), version);
        }
    }

    /// <summary>Completes when the inbox has changed after version <paramref name="seen"/>.</summary>
    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return version > seen ? Task.CompletedTask : changed.Task.WaitAsync(cancellationToken);
        }
    }
}
