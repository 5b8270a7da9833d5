using System.Collections.Concurrent;
using Lookout.Analysis.Templates;
using Lookout.Analysis.Verdicts;
using Lookout.Analyzer.Runs;
using Lookout.Contracts;
using Microsoft.Extensions.Logging;

namespace Lookout.Analyzer.Requests;

/// <summary>
/// Request mode: runs the templates an <see cref="AnalysisRequested"/> names, with its arguments, and answers with
/// an <see cref="AnalysisVerdict"/> in mode <c>request</c> (never applied) whose id comes from the request id. A
/// request that is delivered again while it runs, or after its verdict was published, is not run twice.
/// </summary>
public sealed partial class AnalysisRequests(RunJudge judge, TimeProvider time, ILogger<AnalysisRequests> logger, int rememberAnswered = 10_000)
{
    private readonly ConcurrentDictionary<Guid, byte> running = new();
    private readonly ConcurrentDictionary<Guid, byte> answered = new();
    private readonly ConcurrentQueue<Guid> answeredOrder = new();

    /// <summary>The verdict id answering a request.</summary>
    public static Guid VerdictId(Guid requestId) => VerdictRules.RequestId(requestId);

    /// <summary>
    /// Runs a request to its end and hands the verdict to <paramref name="publish"/>; the request counts as answered
    /// once that returns. Returns null (and runs nothing) when the same request is running or was answered already.
    /// </summary>
    public async Task<AnalysisVerdict?> AnswerAsync(AnalysisRequested request, Func<AnalysisVerdict, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentNullException.ThrowIfNull(request);
        if (answered.ContainsKey(request.RequestId) || !running.TryAdd(request.RequestId, 0))
        {
            Log.Repeated(logger, request.RequestId);
            return null;
        }

        try
        {
            Guid id = VerdictId(request.RequestId);
            string target = request.Rollout is { } r ? $"Rollout {r.Namespace}/{r.Name}" : $"namespace {request.Namespace}";
            var order = new RunOrder(
                id.ToString(),
                $"request {request.RequestId} ({target})",
                request.Templates.Select(TemplateRef.Parse).ToList(),
                request.Args.Select(a => new Argument(a.Key, a.Value)).ToList(),
                request.Namespace,
                Rollout: null);
            Log.Started(logger, order.Description, string.Join(", ", request.Templates));
            Judgement judgement = request.Templates.Count == 0
                ? new Judgement(Analysis.Measurement.AnalysisPhase.Error, "the request names no templates", [], false)
                : await judge.JudgeAsync(order, null, cancellationToken).ConfigureAwait(false);
            var verdict = new AnalysisVerdict
            {
                Rollout = request.Rollout ?? new ObjectIdentity(string.Empty, request.Namespace, string.Empty, string.Empty),
                RunId = order.Id,
                RolloutRevision = string.Empty,
                Verdict = judgement.Verdict,
                Reason = judgement.Reason,
                DecidedAt = time.GetUtcNow(),
                Mode = AnalysisModes.Request,
                Phase = judgement.Phase.ToString(),
                Metrics = judgement.Metrics,
                RequestId = request.RequestId,
            };
            await publish(verdict).ConfigureAwait(false);
            Answered(request.RequestId);
            return verdict;
        }
        finally
        {
            running.TryRemove(request.RequestId, out _);
        }
    }

    // A redelivery of a request whose verdict went out is not answered again.
    private void Answered(Guid requestId)
    {
        if (answered.TryAdd(requestId, 0))
        {
            answeredOrder.Enqueue(requestId);
            while (answeredOrder.Count > rememberAnswered && answeredOrder.TryDequeue(out Guid oldest))
            {
                answered.TryRemove(oldest, out _);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: requested analysis started ({Templates})")]
        public static partial void Started(ILogger logger, string description, string templates);

        [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} is running or was answered already: not run again")]
        public static partial void Repeated(ILogger logger, Guid requestId);
    }
}
