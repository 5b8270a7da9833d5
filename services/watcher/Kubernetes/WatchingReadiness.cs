using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Ready when this replica stands by (another holds the Lease), or leads and every scope's watch is established; not
/// ready before the first watch opens and while a scope's list or watch keeps failing
/// (<see cref="WatcherOptions.FailuresBeforeNotReady"/> times in a row).
/// </summary>
public sealed class WatchingReadiness(KubernetesWatchingService service, WatcherOptions options) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!service.IsLeading)
        {
            return Task.FromResult(service.ElectionEnabled
                ? HealthCheckResult.Healthy("standby: not holding the Lease")
                : HealthCheckResult.Unhealthy("not watching yet"));
        }

        string[] failing = [.. service.Watchers
            .Where(w => !w.IsWatching && (!w.HasWatched || w.ConsecutiveFailures >= options.FailuresBeforeNotReady))
            .Select(w => w.HasWatched || w.ConsecutiveFailures > 0
                ? $"{w.Scope}: list/watch failed {w.ConsecutiveFailures} times in a row ({w.LastError})"
                : $"{w.Scope}: no watch established yet")];
        return Task.FromResult(failing.Length == 0
            ? HealthCheckResult.Healthy($"watching {service.Watchers.Count} scopes")
            : HealthCheckResult.Unhealthy(string.Join("; ", failing)));
    }
}
