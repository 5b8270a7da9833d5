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

    /// <summary>
    /// Shadow mode: for Rollouts whose own spec has analysis (canary steps, background, blue-green pre/post
    /// promotion), run the same templates beside Argo and publish verdicts in mode <c>shadow</c>, never applied.
    /// Off by default.
    /// </summary>
    public bool Shadow { get; set; }

    /// <summary>List the Rollouts at start-up, so runs they still wait for start again after a restart (with a cluster).</summary>
    public bool ResyncAtStart { get; set; } = true;

    /// <summary>How long to wait before listing again when the start-up list failed.</summary>
    public TimeSpan ResyncRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The cluster name the watcher stamps on events (<c>Watcher:Cluster</c>), for the Rollouts listed at start-up.</summary>
    public string Cluster { get; set; } = "in-cluster";

    /// <summary>The demo's local endpoints, recorded measurements and faster clock (off by default).</summary>
    public Demo.DemoOptions Demo { get; set; } = new();

    /// <summary>Checks the options at start-up.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(AnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RecentRuns < 0)
        {
            yield return (nameof(RecentRuns), "must be >= 0");
        }

        if (options.ResyncRetry <= TimeSpan.Zero)
        {
            yield return (nameof(ResyncRetry), "must be positive");
        }

        if (string.IsNullOrWhiteSpace(options.Cluster))
        {
            yield return (nameof(Cluster), "must not be empty");
        }

        if (options.Demo.TimeScale <= 0 || double.IsNaN(options.Demo.TimeScale) || double.IsInfinity(options.Demo.TimeScale))
        {
            yield return ("Demo:TimeScale", "must be a positive number");
        }

        if (options.Demo.Enabled && !Directory.Exists(options.Demo.ScenarioPath))
        {
            yield return ("Demo:ScenarioPath", $"folder '{options.Demo.ScenarioPath}' does not exist");
        }
    }
}
