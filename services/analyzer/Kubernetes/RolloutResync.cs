using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Lookout.Analyzer.Gate;
using Lookout.Analyzer.Rollouts;
using Lookout.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Kubernetes;

/// <summary>
/// After a restart, the runs Rollouts still wait for start again: at start-up the analyzer lists the Rollouts once
/// and looks at each as if the watcher had just sent it, so a Rollout paused at its gate (or at a point shadow mode
/// follows) is judged again; the verdict keeps its id (uid, pod-template hash, step), and a run that ended before
/// the restart was published under that same id. Needs <c>list</c> on <c>rollouts.argoproj.io</c>; without it the
/// analyzer logs so and waits for the Rollout's next change. A failed list is tried again every
/// <see cref="AnalyzerOptions.ResyncRetry"/> until it succeeds.
/// </summary>
public sealed partial class RolloutResync(AnalyzerCluster cluster, RolloutObserver rollouts, AnalyzerOptions options, TimeProvider time, ILogger<RolloutResync> logger) : BackgroundService
{
    /// <summary>Lists once (tests call it directly); returns how many Rollouts were looked at.</summary>
    public async Task<int> ListOnceAsync(CancellationToken cancellationToken)
    {
        if (cluster.Client is not { } client)
        {
            return 0;
        }

        object raw = await client.CustomObjects.ListClusterCustomObjectAsync("argoproj.io", "v1alpha1", "rollouts", cancellationToken: cancellationToken).ConfigureAwait(false);
        JsonElement list = raw is JsonElement e ? e : JsonSerializer.SerializeToElement(raw);
        int seen = 0;
        if (!list.TryGetProperty("items", out JsonElement items) || items.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        foreach (JsonElement item in items.EnumerateArray())
        {
            if (Change(item) is { } change)
            {
                rollouts.Observe(change);
                seen++;
            }
        }

        return seen;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (cluster.Client is null || !options.ResyncAtStart)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Log.Listed(logger, await ListOnceAsync(stoppingToken).ConfigureAwait(false));
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                Log.Forbidden(logger, (int)ex.Response.StatusCode);
                return;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or JsonException)
            {
                Log.Failed(logger, ex.Message, options.ResyncRetry);
            }

            try
            {
                await Task.Delay(options.ResyncRetry, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private RolloutChanged? Change(JsonElement item)
    {
        if (!item.TryGetProperty("metadata", out JsonElement meta) || Str(meta, "uid") is not { } uid || Str(meta, "name") is not { } name)
        {
            return null;
        }

        string? revision = meta.TryGetProperty("annotations", out JsonElement a) && a.ValueKind == JsonValueKind.Object ? Str(a, "rollout.argoproj.io/revision") : null;
        return new RolloutChanged
        {
            Object = new ObjectIdentity(options.Cluster, Str(meta, "namespace") ?? string.Empty, name, uid),
            ResourceVersion = Str(meta, "resourceVersion") ?? string.Empty,
            ObservedAt = time.GetUtcNow(),
            IsResync = true,
            Body = item.Clone(),
            Summary = new RolloutSummary(null, revision, null, null, null, [], false, null),
        };
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} Rollouts at start-up: runs they still wait for start again")]
        public static partial void Listed(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Listing Rollouts at start-up was refused ({Status}): grant the analyzer list on rollouts.argoproj.io, else a run interrupted by a restart starts again only at the Rollout's next change")]
        public static partial void Forbidden(ILogger logger, int status);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Listing Rollouts at start-up failed ({Reason}); trying again in {Retry}")]
        public static partial void Failed(ILogger logger, string reason, TimeSpan retry);
    }
}
