namespace Lookout.Analysis.Templates;

/// <summary>Where AnalysisTemplates and ClusterAnalysisTemplates are read from (the cluster, or files).</summary>
public interface ITemplateStore
{
    /// <summary>The template, or null when there is none of that name.</summary>
    /// <exception cref="TemplateException">The template exists but is invalid.</exception>
    Task<AnalysisTemplate?> GetAsync(TemplateRef reference, string @namespace, CancellationToken cancellationToken);
}

/// <summary>A template named by a Rollout or a request: <c>name</c>, or <c>cluster:name</c> for a ClusterAnalysisTemplate.</summary>
public sealed record TemplateRef(string Name, bool ClusterScope)
{
    /// <summary>Reads <c>name</c> or <c>cluster:name</c>.</summary>
    public static TemplateRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        return text.StartsWith("cluster:", StringComparison.Ordinal) ? new TemplateRef(text["cluster:".Length..], true) : new TemplateRef(text, false);
    }

    public override string ToString() => ClusterScope ? $"ClusterAnalysisTemplate {Name}" : $"AnalysisTemplate {Name}";
}

/// <summary>
/// Templates from YAML files in a folder (the embedded mode without a cluster): every AnalysisTemplate and
/// ClusterAnalysisTemplate in <c>*.yaml</c>/<c>*.yml</c>, read when asked so edits apply to the next run.
/// </summary>
public sealed class FileTemplateStore(string folder) : ITemplateStore
{
    /// <inheritdoc/>
    public async Task<AnalysisTemplate?> GetAsync(TemplateRef reference, string @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        foreach (string file in Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            foreach (AnalysisTemplate t in TemplateParser.ParseYaml(text, file))
            {
                bool cluster = t.Kind == AnalysisTemplate.ClusterKind;
                if (t.Name == reference.Name && cluster == reference.ClusterScope && (cluster || t.Namespace is null || t.Namespace == @namespace))
                {
                    return t;
                }
            }
        }

        return null;
    }
}
