using Lookout.Analyzer.Requests;
using Lookout.Contracts;
using MassTransit;

namespace Lookout.Analyzer.Consumers;

/// <summary>
/// Answers an <see cref="AnalysisRequested"/>: the run is awaited before the request is acknowledged, so a request
/// whose run an analyzer restart interrupted is delivered again and run again; the verdict is published (and sent
/// back to a request client when the request has a response address).
/// </summary>
public sealed class AnalysisRequestConsumer(AnalysisRequests requests, AnalyzerMetrics? metrics = null) : IConsumer<AnalysisRequested>
{
    /// <inheritdoc/>
    public async Task Consume(ConsumeContext<AnalysisRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        AnalysisVerdict? verdict;
        try
        {
            verdict = await requests.AnswerAsync(context.Message, v => SendAsync(context, v), context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException { InnerException: null } && context.CancellationToken.IsCancellationRequested)
        {
            // Stopping mid-run (an HTTP call cut short surfaces as an I/O error): a plain cancellation lets MassTransit
            // leave the request unacknowledged, so the broker hands it to the next analyzer instead of the error queue.
            throw new OperationCanceledException(context.CancellationToken);
        }

        if (verdict is not null)
        {
            metrics?.Verdict(verdict.Verdict, AnalysisModes.Request);
        }
    }

    private static async Task SendAsync(ConsumeContext<AnalysisRequested> context, AnalysisVerdict verdict)
    {
        Guid id = AnalysisRequests.VerdictId(context.Message.RequestId);
        await context.Publish(verdict, c => c.MessageId = id, context.CancellationToken).ConfigureAwait(false);
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(verdict).ConfigureAwait(false);
        }
    }
}
