using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Microsoft.Extensions.Time.Testing;

namespace Lookout.Analysis.Tests;

/// <summary>
/// A run of metrics over a scripted provider and a controlled clock. The provider answers each metric from a
/// queue: a number, or "error" for a failed reading. Conditions are the metric's own (the defaults are
/// <c>result == 1</c> succeeds, <c>result == 0</c> fails, anything else is inconclusive).
/// </summary>
internal sealed class RunHarness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ScriptedProvider provider = new();

    public RunHarness(string templateYaml, MetricProviders? realProviders = null, IReadOnlyList<Argument>? args = null)
    {
        Clock = new FakeTimeProvider(Start);
        var providers = realProviders ?? new MetricProviders([provider]);
        Runner = new AnalysisRunner(new MeasurementTaker(providers, new MeasurementAssessor(new AnalysisConditions()), Clock), Clock);
        var templates = TemplateParser.ParseYaml(templateYaml, "test.yaml");
        ResolvedAnalysis analysis = ArgumentResolver.ResolveAsync(AnalysisSpec.From(templates, args), "default", null, null, providers.Names, CancellationToken.None).GetAwaiter().GetResult();
        Run = new AnalysisRun("run-1", "test", analysis);
    }

    public FakeTimeProvider Clock { get; }

    public AnalysisRunner Runner { get; }

    public AnalysisRun Run { get; }

    /// <summary>A template with one metric whose body is given (indented as under <c>metrics:</c>).</summary>
    public static string Template(string metricBody, string extraSpec = "") => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: t
        spec:
        {extraSpec}  metrics:
        {metricBody}
        """;

    /// <summary>Queues answers for a metric.</summary>
    public RunHarness Answers(string metric, params object[] answers)
    {
        foreach (object a in answers)
        {
            provider.Enqueue(metric, a);
        }

        return this;
    }

    /// <summary>Reconciles once at the current time.</summary>
    public async Task<DateTimeOffset?> ReconcileAsync() => await Runner.ReconcileAsync(Run, null, CancellationToken.None);

    /// <summary>Reconciles, moves the clock to the planned time and reconciles again, until the run completes (at most n times).</summary>
    public async Task<RunSnapshot> RunToEndAsync(int max = 100)
    {
        for (int i = 0; i < max && !Run.Phase.IsCompleted(); i++)
        {
            DateTimeOffset? next = await ReconcileAsync();
            if (next is { } n && n > Clock.GetUtcNow())
            {
                Clock.SetUtcNow(n);
            }
        }

        return Run.Snapshot();
    }

    public MetricSnapshot Metric(string name) => Run.Snapshot().Metrics.Single(m => m.Name == name);

    private sealed class ScriptedProvider : IMetricProvider
    {
        private readonly Dictionary<string, Queue<object>> answers = new(StringComparer.Ordinal);

        public string Name => "fake";

        public void Enqueue(string metric, object answer)
        {
            if (!answers.TryGetValue(metric, out Queue<object>? q))
            {
                answers[metric] = q = new Queue<object>();
            }

            q.Enqueue(answer);
        }

        public Task<ProviderResult> QueryAsync(Metric metric, CancellationToken cancellationToken)
        {
            object answer = answers.TryGetValue(metric.Name, out Queue<object>? q) && q.Count > 0 ? q.Dequeue() : 1.0;
            return answer switch
            {
                "error" => throw new ProviderException("scripted error"),
                double d => Task.FromResult(new ProviderResult(d, d.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                int i => Task.FromResult(new ProviderResult((double)i, i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                _ => Task.FromResult(new ProviderResult(answer, answer.ToString()!)),
            };
        }
    }
}
