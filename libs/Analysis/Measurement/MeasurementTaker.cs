using System.Diagnostics;
using Lookout.Analysis.Assessment;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Measurement;

/// <summary>Takes one measurement of a metric: asks its provider, then assesses the answer.</summary>
public interface IMeasurementTaker
{
    /// <summary>Never throws for a provider's or a condition's failure: those are Error measurements.</summary>
    Task<Measurement> MeasureAsync(Metric metric, CancellationToken cancellationToken);
}

/// <summary>The provider's reading assessed with the metric's conditions; failures become Error measurements.</summary>
public sealed class MeasurementTaker(MetricProviders providers, IMeasurementAssessor assessor, TimeProvider time, AnalysisMeters? meters = null) : IMeasurementTaker
{
    /// <inheritdoc/>
    public async Task<Measurement> MeasureAsync(Metric metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metric);
        DateTimeOffset started = time.GetUtcNow();
        long ticks = Stopwatch.GetTimestamp();
        AnalysisPhase phase;
        string value = string.Empty;
        string? message = null;
        IReadOnlyDictionary<string, string>? metadata = null;
        try
        {
            ProviderResult result = await providers[metric.ProviderName].QueryAsync(metric, cancellationToken).ConfigureAwait(false);
            value = result.Text;
            metadata = result.Metadata;
            (phase, message) = assessor.Assess(result.Value, metric);
        }
        catch (ProviderException ex)
        {
            phase = AnalysisPhase.Error;
            message = ex.Message;
            meters?.ProviderError(metric.ProviderName);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A provider bug must not end the run or the process: it is this measurement's error.
            phase = AnalysisPhase.Error;
            message = $"{metric.ProviderName} provider failed: {ex.Message}";
            meters?.ProviderError(metric.ProviderName);
        }

        meters?.Measured(metric.Name, metric.ProviderName, phase, Stopwatch.GetElapsedTime(ticks));
        return new Measurement(phase, value, message, started, time.GetUtcNow()) { Metadata = metadata };
    }
}
