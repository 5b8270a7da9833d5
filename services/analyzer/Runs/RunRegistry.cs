using System.Collections.Concurrent;
using Lookout.Analysis.Runs;

namespace Lookout.Analyzer.Runs;

/// <summary>Current runs and the most recent finished ones, for <c>/api/v1/runs</c>.</summary>
public sealed class RunRegistry(int recentLimit = 100)
{
    private readonly ConcurrentDictionary<string, AnalysisRun> current = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RunSnapshot> recent = new();

    public void Started(AnalysisRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        current[run.Id] = run;
    }

    public void Finished(AnalysisRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        current.TryRemove(run.Id, out _);
        recent.Enqueue(run.Snapshot());
        while (recent.Count > recentLimit && recent.TryDequeue(out _))
        {
        }
    }

    /// <summary>Current runs first, then recent ones, newest last.</summary>
    public IReadOnlyList<RunSnapshot> List() => [.. current.Values.Select(r => r.Snapshot()), .. recent];
}
