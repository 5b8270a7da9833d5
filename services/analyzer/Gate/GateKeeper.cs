using System.Collections.Concurrent;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
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
    RunFactory factory,
    AnalysisRunner runner,
    RunRegistry registry,
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
        if (ObjectModel.FromJsonElement(change.Body) is not ObjectMap rollout)
        {
            return;
        }

        GatePoint? gate = GatePoint.Of(rollout);
        Guid? id = gate is null ? null : VerdictRules.Id(change.Object.Uid, gate.PodTemplateHash, gate.Step);
        if (active.TryGetValue(change.Object.Uid, out Active? running) && running.Id != id)
        {
            // The Rollout left the point being judged (promoted, aborted, a new revision): its vote would be stale.
            running.Run.RequestTermination();
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
        var entry = new Active(verdictId, new AnalysisRun(verdictId.ToString(), description, EmptyAnalysis), cancel);
        if (!active.TryAdd(change.Object.Uid, entry))
        {
            cancel.Dispose();
            return;
        }

        entry.Task = Task.Run(() => JudgeAsync(change, rollout, gate, entry), CancellationToken.None);
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

    private async Task JudgeAsync(RolloutChanged change, ObjectMap rollout, GatePoint gate, Active entry)
    {
        CancellationToken ct = entry.Cancel.Token;
        AnalysisPhase phase;
        string message;
        IReadOnlyList<MetricOutcome> outcomes = [];
        try
        {
            AnalysisRun run = await factory.CreateAsync(entry.Id.ToString(), entry.Run.Description, gate.Templates, gate.Args, change.Object.Namespace, rollout, ct).ConfigureAwait(false);
            entry.Run = run;
            registry.Started(run);
            Log.Started(logger, run.Description, string.Join(", ", gate.Templates));
            RunSnapshot result = await runner.RunAsync(run, null, ct).ConfigureAwait(false);
            registry.Finished(run);
            if (run.Terminate)
            {
                return;
            }

            (phase, message, outcomes) = (result.Phase, result.Message, VerdictRules.Outcomes(result));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (TemplateException ex)
        {
            // As in Argo, a run that cannot start (a missing template, an unresolved argument) is an Error.
            (phase, message) = (AnalysisPhase.Error, ex.Message);
        }

        try
        {
            Verdict verdict = VerdictRules.For(phase);
            var message1 = new AnalysisVerdict
            {
                Rollout = change.Object,
                RunId = entry.Id.ToString(),
                RolloutRevision = change.Summary.Revision ?? string.Empty,
                Verdict = verdict,
                Reason = message.Length > 0 ? message : $"analysis {phase}",
                DecidedAt = time.GetUtcNow(),
                PodTemplateHash = gate.PodTemplateHash,
                Step = gate.Step,
                Mode = AnalysisModes.Gate,
                Phase = phase.ToString(),
                Metrics = outcomes,
            };
            await bus.Publish(message1, c => c.MessageId = entry.Id, ct).ConfigureAwait(false);
            published.TryAdd(entry.Id, 0);
            metrics?.Verdict(verdict, AnalysisModes.Gate);
            Log.Published(logger, entry.Run.Description, verdict, phase);
        }
        finally
        {
            active.TryRemove(new KeyValuePair<string, Active>(change.Object.Uid, entry));
            entry.Cancel.Dispose();
        }
    }

    private static readonly ResolvedAnalysis EmptyAnalysis = new([], new HashSet<string>(), new Dictionary<string, int>(), []);

    private sealed class Active(Guid id, AnalysisRun run, CancellationTokenSource cancel)
    {
        public Guid Id { get; } = id;

        public AnalysisRun Run { get; set; } = run;

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
