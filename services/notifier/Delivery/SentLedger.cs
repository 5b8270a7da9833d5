namespace Lookout.Notifier.Delivery;

/// <summary>
/// The ids of notifications a service accepted, so a redelivered message (a broker redelivery, a replayed event) is
/// never sent again. Bounded (the oldest ids go first); with a file, appended per id and read back at start.
/// </summary>
public sealed class SentLedger
{
    private readonly Lock gate = new();
    private readonly HashSet<Guid> ids = [];
    private readonly Queue<Guid> order = new();
    private readonly string? path;
    private readonly int capacity;

    /// <summary>Opens (or starts) the ledger.</summary>
    public SentLedger(string? path, int capacity = 200_000)
    {
        this.path = string.IsNullOrWhiteSpace(path) ? null : path;
        this.capacity = capacity;
        if (this.path is not null && File.Exists(this.path))
        {
            foreach (string line in File.ReadLines(this.path))
            {
                if (Guid.TryParse(line, out Guid id))
                {
                    Remember(id);
                }
            }
        }
    }

    /// <summary>Whether the id was sent.</summary>
    public bool Contains(Guid id)
    {
        lock (gate)
        {
            return ids.Contains(id);
        }
    }

    /// <summary>Records a sent id.</summary>
    public void Add(Guid id)
    {
        lock (gate)
        {
            if (Remember(id) && path is not null)
            {
                File.AppendAllText(path, id.ToString("D") + "\n");
            }
        }
    }

    private bool Remember(Guid id)
    {
        if (!ids.Add(id))
        {
            return false;
        }

        order.Enqueue(id);
        while (order.Count > capacity)
        {
            ids.Remove(order.Dequeue());
        }

        return true;
    }
}
