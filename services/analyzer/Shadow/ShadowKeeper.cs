using System.Collections.Concurrent;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Verdicts;
using Lookout.Analyzer.Runs;
using Lookout.Contracts;
using Lookout.Values;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Shadow;

/// <summary>
/// Shadow mode: for a Rollout whose own spec has analysis, runs the same templates with the same arguments at the
/// moments Argo starts its own runs (<see cref="ShadowPoint"/>) and publishes an <see cref="AnalysisVerdict"/> in
/// mode <c>shadow</c>, which the watcher never applies. Each point is judged once (the verdict id comes from the
/// Rollout's uid, pod-template hash and the kind and step of the analysis). As Argo cancels its background run when
/// the Rollout is promoted, aborted or replaced, the shadow background run is terminated then and its verdict
/// published with the phase so far; step and promotion runs hold Argo's Rollout until they end, so the shadow ones
/// run to their end unless a new revision replaces the one judged.
/// </summary>
public sealed partial class ShadowKeeper(
    RunJudge judge,
    IBus bus,
    TimeProvider time,
    ILogger<ShadowKeeper> logger,
    AnalyzerMetrics? metrics = null) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Active> active = [];
    private readonly ConcurrentDictionary<Guid, byte> published = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>The verdict id of a point of a Rollout.</summary>
    public static Guid IdOf(string uid, ShadowPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return VerdictRules.ShadowId(uid, point.PodTemplateHash, KindName(point.Kind), point.Step);
    }

    /// <summary>Looks at a Rollout's new state, already decoded.</summary>
    public void Observe(RolloutChanged change, ObjectMap rollout)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(rollout);
        string uid = change.Object.Uid;
        var wanted = ShadowPoint.Of(rollout).ToDictionary(p => IdOf(uid, p));
        string? hash = (rollout.TryGetValue("status", out object? s) ? s as ObjectMap : null)?.GetValueOrDefault("currentPodHash") as string;
        lock (gate)
        {
            foreach (Active left in active.Values.Where(a => a.Uid == uid && !wanted.ContainsKey(a.Id)))
            {
                if (left.Point.Kind == ShadowKind.Background || left.Point.PodTemplateHash != hash)
                {
                    left.Handle.Terminate();
                }
            }

            foreach ((Guid id, ShadowPoint point) in wanted)
            {
                if (active.ContainsKey(id) || published.ContainsKey(id))
                {
                    continue;
                }

                string argoRun = point.ArgoRunName(change.Object.Name, change.Summary.Revision);
                string description = $"Rollout {change.Object.Namespace}/{change.Object.Name} shadow {KindName(point.Kind)} analysis ({argoRun})";
                var entry = new Active(id, uid, point);
                active.Add(id, entry);
                var order = new RunOrder(id.ToString(), description, point.Templates, point.Args, change.Object.Namespace, rollout, point.DryRun);
                entry.Task = Task.Run(() => JudgeAsync(change, order, argoRun, entry), CancellationToken.None);
            }
        }
    }

    /// <summary>Waits for the runs started so far (tests).</summary>
    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return Task.WhenAll(active.Values.Select(a => a.Task ?? Task.CompletedTask).ToList());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task JudgeAsync(RolloutChanged change, RunOrder order, string argoRun, Active entry)
    {
        CancellationToken ct = stopping.Token;
        try
        {
            Log.Started(logger, order.Description, string.Join(", ", order.Templates));
            Judgement judgement = await judge.JudgeAsync(order, entry.Handle, ct).ConfigureAwait(false);
            var verdict = new AnalysisVerdict
            {
                Rollout = change.Object,
                RunId = order.Id,
                RolloutRevision = change.Summary.Revision ?? string.Empty,
                Verdict = judgement.Verdict,
                Reason = judgement.Terminated ? $"{judgement.Reason} (terminated: the Rollout moved on, as Argo terminates its run)" : judgement.Reason,
                DecidedAt = time.GetUtcNow(),
                PodTemplateHash = entry.Point.PodTemplateHash,
                Step = entry.Point.Step,
                Mode = AnalysisModes.Shadow,
                Phase = judgement.Phase.ToString(),
                Metrics = judgement.Metrics,
                Analysis = KindName(entry.Point.Kind),
                ArgoAnalysisRun = argoRun,
            };
            await bus.Publish(verdict, c => c.MessageId = entry.Id, ct).ConfigureAwait(false);
            published.TryAdd(entry.Id, 0);
            metrics?.Verdict(verdict.Verdict, AnalysisModes.Shadow);
            Log.Published(logger, order.Description, verdict.Verdict, judgement.Phase);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (gate)
            {
                active.Remove(entry.Id);
            }

            entry.Handle.Dispose();
        }
    }

    private static string KindName(ShadowKind kind) => kind switch
    {
        ShadowKind.Step => "step",
        ShadowKind.Background => "background",
        ShadowKind.PrePromotion => "prePromotion",
        _ => "postPromotion",
    };

    private sealed class Active(Guid id, string uid, ShadowPoint point)
    {
        public Guid Id { get; } = id;

        public string Uid { get; } = uid;

        public ShadowPoint Point { get; } = point;

        public RunHandle Handle { get; } = new();

        public Task? Task { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: shadow analysis started ({Templates})")]
        public static partial void Started(ILogger logger, string description, string templates);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: shadow verdict {Verdict} (run {Phase}), not applied")]
        public static partial void Published(ILogger logger, string description, Verdict verdict, AnalysisPhase phase);
    }
}
