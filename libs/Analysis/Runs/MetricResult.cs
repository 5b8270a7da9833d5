using Lookout.Analysis.Measurement;

namespace Lookout.Analysis.Runs;

/// <summary>A metric's progress in a run (Argo's <c>MetricResult</c>).</summary>
public sealed class MetricResult(string name, bool dryRun)
{
    private readonly List<Measurement.Measurement> measurements = [];

    public string Name { get; } = name;

    public bool DryRun { get; } = dryRun;

    public AnalysisPhase Phase { get; set; } = AnalysisPhase.Running;

    public string? Message { get; set; }

    public int Count { get; set; }

    public int Successful { get; set; }

    public int Failed { get; set; }

    public int Inconclusive { get; set; }

    public int Error { get; set; }

    public int ConsecutiveError { get; set; }

    public int ConsecutiveSuccess { get; set; }

    /// <summary>The retained measurements, oldest first.</summary>
    public IReadOnlyList<Measurement.Measurement> Measurements => measurements;

    /// <summary>The last measurement taken, or null.</summary>
    public Measurement.Measurement? Last => measurements.Count > 0 ? measurements[^1] : null;

    /// <summary>Records a completed measurement and updates the counters as Argo's <c>runMeasurements</c> does.</summary>
    public void Record(Measurement.Measurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        switch (measurement.Phase)
        {
            case AnalysisPhase.Successful:
                Successful++;
                Count++;
                ConsecutiveError = 0;
                ConsecutiveSuccess++;
                break;
            case AnalysisPhase.Failed:
                Failed++;
                Count++;
                ConsecutiveError = 0;
                ConsecutiveSuccess = 0;
                break;
            case AnalysisPhase.Inconclusive:
                Inconclusive++;
                Count++;
                ConsecutiveError = 0;
                ConsecutiveSuccess = 0;
                break;
            case AnalysisPhase.Error:
                Error++;
                ConsecutiveError++;
                ConsecutiveSuccess = 0;
                break;
        }

        measurements.Add(measurement);
    }

    /// <summary>Keeps the last <paramref name="limit"/> measurements (Argo keeps 10 unless measurementRetention says otherwise).</summary>
    public void Trim(int limit)
    {
        if (limit > 0 && measurements.Count > limit)
        {
            measurements.RemoveRange(0, measurements.Count - limit);
        }
    }
}
