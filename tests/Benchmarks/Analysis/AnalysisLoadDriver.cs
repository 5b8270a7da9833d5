using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Lookout.Testing.Prometheus;

namespace Lookout.Benchmarks.Analysis;

/// <summary>
/// Many concurrent analysis runs on the real runner and Prometheus provider against a private Prometheus (Debian
/// <c>prometheus</c> scraping the fixture's exporter): each run has one metric measured every <c>interval</c> for
/// <c>duration</c>. Reports scheduling drift (how late each measurement started against its planned time, from the
/// runner's own <c>scheduling_drift_seconds</c>), this process's CPU (in cores) and memory while the runs go on.
/// Usage: <c>analysis [runs=1000] [interval=10] [duration=300]</c> (seconds).
/// </summary>
public static class AnalysisLoadDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        int interval = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        int duration = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 300;
        int count = Math.Max(1, duration / interval);
        var prometheus = new PrometheusFixture();
        Console.WriteLine("starting a private Prometheus…");
        await prometheus.InitializeAsync();
        try
        {
            prometheus.Set("bench_error_ratio{app=\"bench\"}", 0.01);
            await prometheus.WaitUntilAsync("sum(bench_error_ratio)", v => v > 0, TimeSpan.FromSeconds(60));
            string yaml = $$"""
                apiVersion: argoproj.io/v1alpha1
                kind: AnalysisTemplate
                metadata: {name: bench}
                spec:
                  metrics:
                  - name: error-ratio
                    interval: {{interval}}s
                    count: {{count}}
                    failureLimit: {{count}}
                    successCondition: result[0] < 0.05
                    provider:
                      prometheus:
                        address: {{prometheus.Address}}
                        query: sum(bench_error_ratio{app="bench"})
                """;
            return await MeasureAsync(yaml, runs, interval, duration, count);
        }
        finally
        {
            await prometheus.DisposeAsync();
        }
    }

    private static async Task<int> MeasureAsync(string yaml, int runs, int interval, int duration, int count)
    {
        using var http = new ProviderHttp();
        MetricProviders providers = MetricProviders.Default(http);
        using var meters = new AnalysisMeters();
        var runner = new AnalysisRunner(new MeasurementTaker(providers, new MeasurementAssessor(new AnalysisConditions()), TimeProvider.System, meters), TimeProvider.System, meters);
        ResolvedAnalysis analysis = await ArgumentResolver.ResolveAsync(
            AnalysisSpec.From(TemplateParser.ParseYaml(yaml, "bench.yaml")), "default", null, null, providers.Names, CancellationToken.None);

        var drift = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AnalysisMeters.MeterName && instrument.Name == "scheduling_drift_seconds")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => drift.Add(value));
        listener.Start();

        Console.WriteLine($"{runs:N0} runs, one measurement every {interval} s, {count} each ({duration} s)…");
        var process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long peakWorkingSet = 0;
        long peakManaged = 0;
        var all = Enumerable.Range(0, runs)
            .Select(i => Task.Run(() => runner.RunAsync(new AnalysisRun($"run-{i}", "bench", analysis), null, CancellationToken.None)))
            .ToList();
        Task done = Task.WhenAll(all);
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, Task.Delay(1_000));
            process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
        }

        RunSnapshot[] results = await Task.WhenAll(all);
        process.Refresh();
        double cores = (process.TotalProcessorTime - cpuStart).TotalSeconds / wall.Elapsed.TotalSeconds;
        double[] sorted = [.. drift.Order()];
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)] * 1000;
        int successful = results.Count(r => r.Phase == AnalysisPhase.Successful);
        int measurements = results.Sum(r => r.Metrics.Sum(m => m.Count));
        Console.WriteLine($"runs successful: {successful:N0}/{runs:N0}, measurements: {measurements:N0} in {wall.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"scheduling drift over {sorted.Length:N0} waits: p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {P(1.0):F1} ms (goal p99 < 50 ms)");
        Console.WriteLine($"CPU of this process (runner, provider, exporter): {cores:F3} cores (goal < 0.2)");
        Console.WriteLine($"memory: peak working set {peakWorkingSet / 1048576.0:F0} MiB, peak managed heap {peakManaged / 1048576.0:F0} MiB");
        return successful == runs ? 0 : 1;
    }
}
