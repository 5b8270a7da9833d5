using System.Globalization;
using Lookout.Notifications.Configuration;

namespace Lookout.Notifier.Configuration;

/// <summary>The embedded mode's configuration: a ConfigMap file and an optional Secret file; none means the catalog alone.</summary>
public sealed class FileConfigSource(string? configPath, string? secretPath) : IConfigSource
{
    /// <inheritdoc/>
    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        Task.FromResult($"{Stamp(configPath)}|{Stamp(secretPath)}");

    /// <inheritdoc/>
    public async Task<ConfigMapData> ReadAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(configPath))
        {
            return ConfigMapData.Empty();
        }

        string config = await File.ReadAllTextAsync(configPath, cancellationToken).ConfigureAwait(false);
        string? secret = string.IsNullOrWhiteSpace(secretPath) ? null : await File.ReadAllTextAsync(secretPath, cancellationToken).ConfigureAwait(false);
        return ConfigMapData.FromYaml(config, configPath, secret, secretPath);
    }

    /// <inheritdoc/>
    public Task ReportAsync(IReadOnlyList<ConfigProblem> problems, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Stamp(string? path) =>
        string.IsNullOrWhiteSpace(path) || !File.Exists(path)
            ? "-"
            : File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture) + ":" + new FileInfo(path).Length.ToString(CultureInfo.InvariantCulture);
}
