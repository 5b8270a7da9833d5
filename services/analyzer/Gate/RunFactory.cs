using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analyzer.Gate;

/// <summary>Builds a run from template references, arguments and (optionally) the Rollout.</summary>
public sealed class RunFactory(ITemplateStore templates, ISecretReader? secrets, MetricProviders providers)
{
    /// <summary>Reads the templates, flattens them, resolves the arguments and validates the metrics.</summary>
    /// <exception cref="TemplateException">A template is missing or invalid, or an argument cannot be resolved.</exception>
    public async Task<AnalysisRun> CreateAsync(string id, string description, IReadOnlyList<TemplateRef> refs, IReadOnlyList<Argument> args, string @namespace, ObjectMap? rollout, CancellationToken cancellationToken, IReadOnlyList<DryRunRule>? dryRun = null)
    {
        ArgumentNullException.ThrowIfNull(refs);
        var found = new List<AnalysisTemplate>();
        foreach (TemplateRef r in refs)
        {
            found.Add(await templates.GetAsync(r, @namespace, cancellationToken).ConfigureAwait(false)
                ?? throw new TemplateException(r.ClusterScope ? $"{r} not found" : $"{r} not found in namespace {@namespace}"));
        }

        ResolvedAnalysis analysis = await ArgumentResolver.ResolveAsync(
            AnalysisSpec.From(found, args, dryRun), @namespace, rollout, secrets, providers.Names, cancellationToken).ConfigureAwait(false);
        return new AnalysisRun(id, description, analysis);
    }
}
