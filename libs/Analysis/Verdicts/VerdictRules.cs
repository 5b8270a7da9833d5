using System.Security.Cryptography;
using System.Text;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Contracts;

namespace Lookout.Analysis.Verdicts;

/// <summary>From a run's phase to a vote, and the vote's identity.</summary>
public static class VerdictRules
{
    /// <summary>Successful → promote; Failed or Error → abort; Inconclusive → stay paused for a human.</summary>
    public static Verdict For(AnalysisPhase phase) => phase switch
    {
        AnalysisPhase.Successful => Verdict.Promote,
        AnalysisPhase.Failed or AnalysisPhase.Error => Verdict.Abort,
        AnalysisPhase.Inconclusive => Verdict.Inconclusive,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "a run that has not completed has no verdict"),
    };

    /// <summary>
    /// The id of the verdict on one point of one Rollout: SHA-256 over "verdict/uid/hash/step", so a restarted
    /// analyzer judging the same point publishes the same id and consumers see it once.
    /// </summary>
    public static Guid Id(string rolloutUid, string podTemplateHash, int? step)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"verdict/{rolloutUid}/{podTemplateHash}/{step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "promotion"}"), hash);
        return new Guid(hash[..16]);
    }

    /// <summary>
    /// The id of a shadow verdict: SHA-256 over "verdict/uid/hash/shadow/kind[/step]" (never equal to a gate
    /// verdict's id on the same point).
    /// </summary>
    public static Guid ShadowId(string rolloutUid, string podTemplateHash, string kind, int? step)
    {
        Span<byte> hash = stackalloc byte[32];
        string at = step is int s ? $"/{s.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;
        SHA256.HashData(Encoding.UTF8.GetBytes($"verdict/{rolloutUid}/{podTemplateHash}/shadow/{kind}{at}"), hash);
        return new Guid(hash[..16]);
    }

    /// <summary>The id of the verdict answering a request: SHA-256 over "verdict/request/requestId".</summary>
    public static Guid RequestId(Guid requestId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"verdict/request/{requestId:D}"), hash);
        return new Guid(hash[..16]);
    }

    /// <summary>The metrics of a finished run as contract records.</summary>
    public static IReadOnlyList<MetricOutcome> Outcomes(RunSnapshot run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Metrics.Select(m => new MetricOutcome(m.Name, m.Phase.ToString(), m.Message, m.Successful, m.Failed, m.Inconclusive, m.Error, m.ConsecutiveError, m.DryRun)).ToList();
    }
}
