namespace Lookout.Analyzer.Gate;

/// <summary>Options of the analyzer (configuration section <c>Analyzer</c>).</summary>
public sealed class AnalyzerOptions
{
    public const string SectionName = "Analyzer";

    /// <summary>The API server's URL without credentials (<c>kubectl proxy</c>, tests); else <see cref="Kubeconfig"/>, else in-cluster.</summary>
    public string? ApiServer { get; set; }

    /// <summary>A kubeconfig file.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>A folder of AnalysisTemplate YAML files, used instead of the cluster's templates (the embedded mode).</summary>
    public string? TemplatesPath { get; set; }

    /// <summary>How many finished runs <c>/api/v1/runs</c> keeps.</summary>
    public int RecentRuns { get; set; } = 100;

    /// <summary>Checks the options at start-up.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(AnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RecentRuns < 0)
        {
            yield return (nameof(RecentRuns), "must be >= 0");
        }
    }
}
