using System.Text.Json;
using Lookout.Contracts;

namespace Lookout.Notifier.Delivery;

/// <summary>
/// Notifications that failed every attempt, with their reason: listed at <c>GET /notifications/dead-letters</c> and
/// replayable. Kept in a JSON file when the notifier has a data directory.
/// </summary>
public sealed class DeadLetterStore
{
    private readonly Lock gate = new();
    private readonly string? path;
    private readonly Dictionary<Guid, NotificationDeliveryFailed> letters;
    private readonly NotifierMetrics metrics;

    /// <summary>Opens (or starts) the store.</summary>
    public DeadLetterStore(string? path, NotifierMetrics? metrics = null)
    {
        this.metrics = metrics ?? NotifierMetrics.Unserved();
        this.path = string.IsNullOrWhiteSpace(path) ? null : path;
        letters = this.path is not null && File.Exists(this.path)
            ? (JsonSerializer.Deserialize<List<NotificationDeliveryFailed>>(File.ReadAllText(this.path)) ?? []).ToDictionary(l => l.Notification.Id)
            : [];
        this.metrics.SetDeadLetters(letters.Count);
    }

    /// <summary>The dead letters, oldest first.</summary>
    public IReadOnlyList<NotificationDeliveryFailed> List()
    {
        lock (gate)
        {
            return letters.Values.OrderBy(l => l.FailedAt).ToList();
        }
    }

    /// <summary>Adds (or replaces) a dead letter.</summary>
    public void Add(NotificationDeliveryFailed letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        lock (gate)
        {
            letters[letter.Notification.Id] = letter;
            Save();
        }
    }

    /// <summary>Takes a dead letter out (to replay it); null when there is none with that id.</summary>
    public NotificationDeliveryFailed? Take(Guid id)
    {
        lock (gate)
        {
            if (!letters.Remove(id, out NotificationDeliveryFailed? letter))
            {
                return null;
            }

            Save();
            return letter;
        }
    }

    private void Save()
    {
        this.metrics.SetDeadLetters(letters.Count);
        if (path is null)
        {
            return;
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(letters.Values.ToList()));
        File.Move(temporary, path, overwrite: true);
    }
}
