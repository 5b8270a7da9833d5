namespace Lookout.Analyzer.Demo;

/// <summary>The demo's stand-ins for a cluster's endpoints (section <c>Analyzer:Demo</c>); off unless <see cref="ScenarioPath"/> is set.</summary>
public sealed class DemoOptions
{
    /// <summary>
    /// The scenario folder: its <c>endpoints.yaml</c> files are served by the local health endpoint and its
    /// <c>measurements.yaml</c> files answer Prometheus metrics when no Prometheus is reachable.
    /// </summary>
    public string? ScenarioPath { get; set; }

    /// <summary>Where the templates' Prometheus addresses point in the demo; when nothing listens there, the recorded measurements answer.</summary>
    public string? Prometheus { get; set; } = "http://127.0.0.1:9090";

    /// <summary>How much faster than real time analysis runs go (10: a 30 s interval takes 3 s).</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>Whether the demo parts are on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ScenarioPath);
}
