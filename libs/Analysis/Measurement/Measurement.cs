namespace Lookout.Analysis.Measurement;

/// <summary>One measurement of a metric (Argo's <c>Measurement</c>).</summary>
/// <param name="Phase">Successful, Failed, Inconclusive or Error.</param>
/// <param name="Value">The value as Argo records it (a Prometheus vector as <c>[0.1,0.2]</c>, a web value as JSON).</param>
/// <param name="Message">Why it is an Error, or a note.</param>
/// <param name="StartedAt">When the provider was asked.</param>
/// <param name="FinishedAt">When the answer was assessed.</param>
public sealed record Measurement(
    AnalysisPhase Phase,
    string Value,
    string? Message,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    /// <summary>Provider metadata (for example Prometheus warnings).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
