using System.Collections.Concurrent;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Verdicts;
using Lookout.Analyzer.Runs;
using Lookout.Contracts;
using Lookout.Values;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Gate;

/// <summary>
/// Gate mode: starts a run when an opted-in Rollout reaches its gate, publishes the verdict once (its id from the
/// Rollout's uid, pod-template hash and step), and stops a run whose Rollout moved on before it ended.
/// </summary>
public sealed partial class GateKeeper(
    RunJudge judge,
    IBus bus,
    TimeProvider time,
    ILogger<GateKeeper> logger,
    AnalyzerMetrics? metrics = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Active> active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, byte> published = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Looks at a Rollout's new state.</summary>
    public void Observe(RolloutChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (ObjectModel.FromJsonElement(change.Body) is ObjectMap rollout)
        {
            Observe(change, rollout);
        }
    }

    /// <summary>Looks at a Rollout's new state, already decoded.</summary>
    public void Observe(RolloutChanged change, ObjectMap rollout)
    {
        ArgumentNullException.ThrowIfNull(change);
        GatePoint? gate = GatePoint.Of(rollout);
        Guid? id = gate is null ? null : VerdictRules.Id(change.Object.Uid, gate.PodTemplateHash, gate.Step);
        if (active.TryGetValue(change.Object.Uid, out Active? running) && running.Id != id)
        {
            // The Rollout left the point being judged (promoted, aborted, a new revision): its vote would be stale.
            running.Cancel.Cancel();
            active.TryRemove(change.Object.Uid, out _);
            Log.Abandoned(logger, change.Object.Namespace, change.Object.Name, running.Id);
        }

        if (gate is null || id is not Guid verdictId || published.ContainsKey(verdictId) || active.ContainsKey(change.Object.Uid))
        {
            return;
        }

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        string description = $"Rollout {change.Object.Namespace}/{change.Object.Name} {(gate.Step is int s ? $"step {s}" : "promotion")} ({gate.PodTemplateHash})";
        var entry = new Active(verdictId, cancel);
        if (!active.TryAdd(change.Object.Uid, entry))
        {
            cancel.Dispose();
            return;
        }

        var order = new RunOrder(verdictId.ToString(), description, gate.Templates, gate.Args, change.Object.Namespace, rollout);
        entry.Task = Task.Run(() => JudgeAsync(change, order, gate, entry), CancellationToken.None);
    }

    /// <summary>Waits for the runs started so far (tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(active.Values.Select(a => a.Task ?? Task.CompletedTask));

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await WhenIdleAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task JudgeAsync(RolloutChanged change, RunOrder order, GatePoint gate, Active entry)
    {
        CancellationToken ct = entry.Cancel.Token;
        try
        {
            Log.Started(logger, order.Description, string.Join(", ", gate.Templates));
            Judgement judgement = await judge.JudgeAsync(order, null, ct).ConfigureAwait(false);
            var verdict = new AnalysisVerdict
            {
                Rollout = change.Object,
                RunId = order.Id,
                RolloutRevision = change.Summary.Revision ?? string.Empty,
                Verdict = judgement.Verdict,
                Reason = judgement.Reason,
                DecidedAt = time.GetUtcNow(),
                PodTemplateHash = gate.PodTemplateHash,
                Step = gate.Step,
                Mode = AnalysisModes.Gate,
                Phase = judgement.Phase.ToString(),
                Metrics = judgement.Metrics,
            };
            await bus.Publish(verdict, c => c.MessageId = entry.Id, ct).ConfigureAwait(false);
            published.TryAdd(entry.Id, 0);
            metrics?.Verdict(verdict.Verdict, AnalysisModes.Gate);
            Log.Published(logger, order.Description, verdict.Verdict, judgement.Phase);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            active.TryRemove(new KeyValuePair<string, Active>(change.Object.Uid, entry));
            entry.Cancel.Dispose();
        }
    }

    private sealed class Active(Guid id, CancellationTokenSource cancel)
    {
        public Guid Id { get; } = id;

        public CancellationTokenSource Cancel { get; } = cancel;

        public Task? Task { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: analysis started ({Templates})")]
        public static partial void Started(ILogger logger, string description, string templates);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: verdict {Verdict} (run {Phase})")]
        public static partial void Published(ILogger logger, string description, Verdict verdict, AnalysisPhase phase);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Namespace}/{Name} moved on: run {RunId} stopped without a verdict")]
        public static partial void Abandoned(ILogger logger, string @namespace, string name, Guid runId);
    }
}
