namespace Lookout.Contracts;

/// <summary>
/// Version 1. A request to run analysis templates once (from CI or the CLI); the analyzer answers with an
/// <see cref="AnalysisVerdict"/> in mode <c>request</c> whose <c>RequestId</c> is this message's id.
/// </summary>
public sealed record AnalysisRequested
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Identifies the request; the verdict carries it back.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The namespace AnalysisTemplates and Secrets are read from.</summary>
    public required string Namespace { get; init; }

    /// <summary>AnalysisTemplate names; a name prefixed <c>cluster:</c> is a ClusterAnalysisTemplate.</summary>
    public required IReadOnlyList<string> Templates { get; init; }

    /// <summary>Argument values by name.</summary>
    public IReadOnlyDictionary<string, string> Args { get; init; } = new Dictionary<string, string>();

    /// <summary>The Rollout the analysis is about, if any (for <c>fieldRef</c> arguments and for the verdict).</summary>
    public ObjectIdentity? Rollout { get; init; }
}
