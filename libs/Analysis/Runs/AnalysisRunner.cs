using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Templates;

namespace Lookout.Analysis.Runs;

/// <summary>A measurement as it is recorded, for live output (the <c>analyzer run</c> tool prints each).</summary>
public sealed record MetricMeasured(string RunId, string Metric, Measurement.Measurement Measurement);

/// <summary>
/// Schedules and assesses runs exactly as Argo's analysis controller reconciles an AnalysisRun: which metrics
/// to measure now (<c>generateMetricTasks</c>), measuring them in parallel, assessing metrics and the run
/// (<c>assessRunStatus</c>), trimming measurements, and when to look again (<c>calculateNextReconcileTime</c>).
/// Time comes from a <see cref="TimeProvider"/>, so tests move the clock.
/// </summary>
public sealed class AnalysisRunner(IMeasurementTaker taker, TimeProvider time, AnalysisMeters? meters = null)
{
    /// <summary>Argo's <c>DefaultErrorRetryInterval</c>: after an Error, the next measurement comes 10 s later.</summary>
    public static readonly TimeSpan ErrorRetryInterval = TimeSpan.FromSeconds(10);

    /// <summary>Argo's <c>DefaultMeasurementHistoryLimit</c>.</summary>
    public const int DefaultMeasurementHistoryLimit = 10;

    /// <summary>Runs to completion, waiting on the clock between reconciliations.</summary>
    public async Task<RunSnapshot> RunAsync(AnalysisRun run, Action<MetricMeasured>? onMeasured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        meters?.RunStarted();
        while (true)
        {
            DateTimeOffset? next = await ReconcileAsync(run, onMeasured, cancellationToken).ConfigureAwait(false);
            if (run.Phase.IsCompleted())
            {
                meters?.RunFinished(run.Phase);
                return run.Snapshot();
            }

            if (RunAssessor.IsTerminating(run.Results.Values) || run.Terminate)
            {
                // A metric just ended the run (or it was asked to stop): Argo's controller reconciles again at once.
                continue;
            }

            // Argo would not requeue without a planned time; a run must still end, so look again after the retry interval.
            DateTimeOffset due = next ?? time.GetUtcNow() + ErrorRetryInterval;
            TimeSpan wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            // Drift is how late a planned measurement starts; a timer that fires a hair early (its monotonic clock
            // against the wall clock) just waits again, and that wake-up is no measurement.
            if (next is not null && MetricsDue(run).Count > 0)
            {
                meters?.Drift(time.GetUtcNow() - due);
            }
        }
    }

    /// <summary>One reconciliation; returns when to reconcile next, or null when nothing is planned.</summary>
    public async Task<DateTimeOffset?> ReconcileAsync(AnalysisRun run, Action<MetricMeasured>? onMeasured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Phase.IsCompleted())
        {
            return null;
        }

        List<Metric> tasks = MetricsDue(run);
        Measurement.Measurement[] taken = await Task.WhenAll(tasks.Select(m => taker.MeasureAsync(m, cancellationToken))).ConfigureAwait(false);
        lock (run.Gate)
        {
            for (int i = 0; i < tasks.Count; i++)
            {
                Metric metric = tasks[i];
                Measurement.Measurement m = taken[i];
                if (m.Message is { } text && run.Analysis.Secrets.Count > 0)
                {
                    m = m with { Message = ArgumentResolver.Mask(text, run.Analysis.Secrets) };
                }

                if (!run.Results.TryGetValue(metric.Name, out MetricResult? result))
                {
                    result = new MetricResult(metric.Name, run.Analysis.DryRunMetrics.Contains(metric.Name));
                    run.Results[metric.Name] = result;
                }

                result.Record(m);
            }

            run.StartedAt ??= time.GetUtcNow();
            var (phase, message) = RunAssessor.Assess(run.Metrics, run.Results, run.Terminate);
            if (phase != run.Phase)
            {
                run.Phase = phase;
                run.Message = message;
                if (phase.IsCompleted())
                {
                    run.CompletedAt ??= time.GetUtcNow();
                }
            }

            foreach (MetricResult result in run.Results.Values)
            {
                result.Trim(run.Analysis.RetentionLimits.TryGetValue(result.Name, out int limit) && limit > 0 ? limit : DefaultMeasurementHistoryLimit);
            }
        }

        for (int i = 0; i < tasks.Count; i++)
        {
            onMeasured?.Invoke(new MetricMeasured(run.Id, tasks[i].Name, run.ResultOf(tasks[i].Name)?.Last ?? taken[i]));
        }

        return run.Phase.IsCompleted() ? null : NextReconcileTime(run);
    }

    /// <summary>
    /// Argo's <c>generateMetricTasks</c>: a metric is measured when it has not completed and the run is not
    /// terminating, and it has never been measured (after its <c>initialDelay</c> from the run's start), or its
    /// count is not reached and its interval (10 s after an Error) has passed since the last measurement finished.
    /// </summary>
    public List<Metric> MetricsDue(AnalysisRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        DateTimeOffset now = time.GetUtcNow();
        var due = new List<Metric>();
        lock (run.Gate)
        {
            bool terminating = run.Terminate || RunAssessor.IsTerminating(run.Results.Values);
            foreach (Metric metric in run.Metrics)
            {
                MetricResult? result = run.Results.GetValueOrDefault(metric.Name);
                if (result is not null && result.Phase.IsCompleted())
                {
                    continue;
                }

                if (terminating)
                {
                    continue;
                }

                Measurement.Measurement? last = result?.Last;
                if (last is null)
                {
                    if (metric.InitialDelay is { } delay && (run.StartedAt is null || run.StartedAt.Value + delay > now))
                    {
                        continue;
                    }

                    due.Add(metric);
                    continue;
                }

                if (metric.EffectiveCount is int count && result!.Count >= count)
                {
                    continue;
                }

                // Argo measures once now is after the due time; on a controlled clock the due instant itself counts.
                if (now >= last.FinishedAt + IntervalAfter(metric, last))
                {
                    due.Add(metric);
                }
            }
        }

        return due;
    }

    /// <summary>Argo's <c>calculateNextReconcileTime</c>: the earliest time a metric is due.</summary>
    public DateTimeOffset? NextReconcileTime(AnalysisRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        DateTimeOffset? next = null;
        lock (run.Gate)
        {
            foreach (Metric metric in run.Metrics)
            {
                MetricResult? result = run.Results.GetValueOrDefault(metric.Name);
                if (result is not null && result.Phase.IsCompleted())
                {
                    continue;
                }

                DateTimeOffset? candidate = null;
                Measurement.Measurement? last = result?.Last;
                if (last is null)
                {
                    if (metric.InitialDelay is { } delay)
                    {
                        candidate = (run.StartedAt ?? time.GetUtcNow()) + delay;
                    }
                }
                else if (metric.EffectiveCount is not int count || result!.Count < count)
                {
                    if (last.Phase == AnalysisPhase.Error || metric.Interval is not null)
                    {
                        candidate = last.FinishedAt + IntervalAfter(metric, last);
                    }
                }

                if (candidate is { } c && (next is null || c < next))
                {
                    next = c;
                }
            }
        }

        return next;
    }

    private static TimeSpan IntervalAfter(Metric metric, Measurement.Measurement last) =>
        last.Phase == AnalysisPhase.Error ? ErrorRetryInterval : metric.Interval ?? ErrorRetryInterval;
}
