using System.Text.Json;

namespace Lookout.Notifications.State;

/// <summary>
/// The embedded mode's state store: one JSON file mapping each object (kind/namespace/name/uid) to its annotation
/// value, written atomically (temporary file, then rename). With no path it keeps the states in memory only.
/// </summary>
public sealed class FileStateStore : INotifiedStateStore, IDisposable
{
    private readonly string? path;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly Dictionary<string, string> states;

    /// <summary>Opens (or starts) the file.</summary>
    public FileStateStore(string? path)
    {
        this.path = string.IsNullOrWhiteSpace(path) ? null : path;
        states = this.path is not null && File.Exists(this.path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(this.path)) ?? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public NotifiedState Load(StateOwner owner, string? annotationInEvent, string resourceVersion)
    {
        lock (gate)
        {
            return states.TryGetValue(Key(owner), out string? saved) ? NotifiedState.Parse(saved) : NotifiedState.Parse(annotationInEvent);
        }
    }

    /// <inheritdoc/>
    public bool IsOwnWrite(StateOwner owner, string resourceVersion) => false;

    /// <inheritdoc/>
    public async Task SaveAsync(StateOwner owner, NotifiedState state, string resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        string json;
        lock (gate)
        {
            states[Key(owner)] = state.Serialize() ?? "{}";
            json = JsonSerializer.Serialize(states);
        }

        if (path is null)
        {
            return;
        }

        await writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, json, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            writing.Release();
        }
    }

    private static string Key(StateOwner owner) => $"{owner.Kind}/{owner.Namespace}/{owner.Name}/{owner.Uid}";

    /// <inheritdoc/>
    public void Dispose() => writing.Dispose();
}
