using System.Text.Json;

namespace Lookout.Notifications.Services.Slack;

/// <summary>
/// Slack's thread timestamps (per recipient and grouping key) and channel ids (per recipient), kept durably so
/// threads and updates survive a restart (notifications-engine keeps them in memory).
/// </summary>
public interface ISlackThreadStore
{
    /// <summary>The thread's parent timestamp, or null.</summary>
    string? GetThread(string service, string recipient, string groupingKey);

    /// <summary>Records a thread's parent timestamp.</summary>
    void SetThread(string service, string recipient, string groupingKey, string timestamp);

    /// <summary>The channel id Slack answered for a recipient (a name), or null.</summary>
    string? GetChannel(string service, string recipient);

    /// <summary>Records a channel id.</summary>
    void SetChannel(string service, string recipient, string channelId);
}

/// <summary>The thread store in a JSON file (written atomically after each change), or in memory without a path.</summary>
public sealed class FileSlackThreadStore : ISlackThreadStore
{
    private readonly string? path;
    private readonly Lock gate = new();
    private readonly Dictionary<string, string> values;

    /// <summary>Opens (or starts) the file.</summary>
    public FileSlackThreadStore(string? path)
    {
        this.path = string.IsNullOrWhiteSpace(path) ? null : path;
        values = this.path is not null && File.Exists(this.path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(this.path)) ?? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public string? GetThread(string service, string recipient, string groupingKey) => Get($"thread\u001f{service}\u001f{recipient}\u001f{groupingKey}");

    /// <inheritdoc/>
    public void SetThread(string service, string recipient, string groupingKey, string timestamp) => Set($"thread\u001f{service}\u001f{recipient}\u001f{groupingKey}", timestamp);

    /// <inheritdoc/>
    public string? GetChannel(string service, string recipient) => Get($"channel\u001f{service}\u001f{recipient}");

    /// <inheritdoc/>
    public void SetChannel(string service, string recipient, string channelId) => Set($"channel\u001f{service}\u001f{recipient}", channelId);

    private string? Get(string key)
    {
        lock (gate)
        {
            return values.GetValueOrDefault(key);
        }
    }

    private void Set(string key, string value)
    {
        lock (gate)
        {
            if (values.TryGetValue(key, out string? existing) && existing == value)
            {
                return;
            }

            values[key] = value;
            if (path is not null)
            {
                string temporary = path + ".tmp";
                File.WriteAllText(temporary, JsonSerializer.Serialize(values));
                File.Move(temporary, path, overwrite: true);
            }
        }
    }
}
