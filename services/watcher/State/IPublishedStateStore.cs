using System.IO.Compression;
using System.Text.Json;

namespace Lookout.Watcher.State;

/// <summary>Where <see cref="PublishedState"/> survives restarts and leader changes.</summary>
public interface IPublishedStateStore
{
    /// <summary>The state saved last; empty when nothing was saved yet.</summary>
    Task<IReadOnlyList<PublishedObject>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the state, replacing what was saved before.</summary>
    Task SaveAsync(IReadOnlyList<PublishedObject> objects, CancellationToken cancellationToken);

    /// <summary>Where the state lives, for logs.</summary>
    string Description { get; }
}

/// <summary>The stored form: gzip-compressed JSON, small enough for a ConfigMap (1 MiB) up to ~20,000 objects.</summary>
public static class PublishedStateFormat
{
    /// <summary>Serializes and compresses.</summary>
    public static byte[] Write(IReadOnlyList<PublishedObject> objects)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, objects.OrderBy(o => o.Uid, StringComparer.Ordinal));
        }

        return output.ToArray();
    }

    /// <summary>Decompresses and deserializes.</summary>
    /// <exception cref="InvalidDataException">The data is not a saved state.</exception>
    public static IReadOnlyList<PublishedObject> Read(byte[] data)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<List<PublishedObject>>(gzip) ?? [];
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"the saved watcher state is not readable: {ex.Message}", ex);
        }
    }
}

/// <summary>Keeps the state in a file (the all-in-one host and single-replica runs without a cluster to write to).</summary>
public sealed class FilePublishedStateStore(string path) : IPublishedStateStore
{
    /// <inheritdoc/>
    public string Description => $"file {path}";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PublishedObject>> LoadAsync(CancellationToken cancellationToken) =>
        File.Exists(path) ? PublishedStateFormat.Read(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : [];

    /// <inheritdoc/>
    public async Task SaveAsync(IReadOnlyList<PublishedObject> objects, CancellationToken cancellationToken)
    {
        // Write aside, then rename: a crash mid-write leaves the previous state, never half a file.
        string temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, PublishedStateFormat.Write(objects), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
