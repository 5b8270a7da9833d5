using System.Text.Json;
using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Lookout.Analysis.Verdicts;
using Lookout.Contracts;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Analyzer.Tools;

/// <summary>
/// <c>analyzer run &lt;template.yaml&gt; [--arg name=value]... [--rollout &lt;rollout.yaml&gt;]</c>: runs a template
/// once against the real endpoints, printing one JSON line per measurement and a last line with the verdict.
/// Exit status: 0 promote, 1 abort, 3 inconclusive, 2 bad input.
/// </summary>
public static class RunCommand
{
    public const int Promote = 0;
    public const int Abort = 1;
    public const int BadInput = 2;
    public const int Inconclusive = 3;

    private const string Usage = "usage: analyzer run <template.yaml> [--arg name=value]... [--rollout <rollout.yaml>]";

    /// <summary>Runs the command; returns the exit status.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? templatePath = null;
        string? rolloutPath = null;
        var runArgs = new List<Argument>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--arg" when i + 1 < args.Count && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    string pair = args[++i];
                    int eq = pair.IndexOf('=', StringComparison.Ordinal);
                    runArgs.Add(new Argument(pair[..eq], pair[(eq + 1)..]));
                    break;
                case "--rollout" when i + 1 < args.Count:
                    rolloutPath = args[++i];
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && templatePath is null:
                    templatePath = a;
                    break;
                default:
                    await error.WriteLineAsync($"analyzer run: unexpected argument {args[i]}\n{Usage}").ConfigureAwait(false);
                    return BadInput;
            }
        }

        if (templatePath is null)
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return BadInput;
        }

        time ??= TimeProvider.System;
        using var http = new ProviderHttp();
        MetricProviders providers = MetricProviders.Default(http);
        AnalysisRun run;
        try
        {
            IReadOnlyList<AnalysisTemplate> templates = TemplateParser.ParseYaml(await ReadAsync(templatePath).ConfigureAwait(false), templatePath);
            if (templates.Count == 0)
            {
                throw new TemplateException($"{templatePath}: no AnalysisTemplate or ClusterAnalysisTemplate in the file");
            }

            ObjectMap? rollout = null;
            if (rolloutPath is not null)
            {
                rollout = ObjectModel.FromJsonElement(YamlDocuments.ParseSingle(await ReadAsync(rolloutPath).ConfigureAwait(false), rolloutPath)) as ObjectMap
                    ?? throw new TemplateException($"{rolloutPath}: not a Rollout object");
            }

            string ns = rollout is not null && rollout.TryGetValue("metadata", out object? md) && md is ObjectMap meta && meta.TryGetValue("namespace", out object? n) && n is string rns
                ? rns : templates[0].Namespace ?? "default";
            ResolvedAnalysis analysis = await ArgumentResolver.ResolveAsync(
                AnalysisSpec.From(templates, runArgs), ns, rollout, null, providers.Names, cancellationToken).ConfigureAwait(false);
            run = new AnalysisRun("cli", templatePath, analysis);
        }
        catch (Exception ex) when (ex is TemplateException or IOException or FormatException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"analyzer run: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }

        var runner = new AnalysisRunner(new MeasurementTaker(providers, new MeasurementAssessor(AnalysisConditions.Shared), time), time);
        RunSnapshot result = await runner.RunAsync(run, m => WriteMeasurement(output, m), cancellationToken).ConfigureAwait(false);
        Verdict verdict = VerdictRules.For(result.Phase);
        await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["phase"] = result.Phase.ToString(),
            ["verdict"] = verdict.ToString().ToLowerInvariant(),
            ["message"] = result.Message,
            ["metrics"] = result.Metrics.ToDictionary(m => m.Name, m => new Dictionary<string, object?>
            {
                ["phase"] = m.Phase.ToString(),
                ["successful"] = m.Successful,
                ["failed"] = m.Failed,
                ["inconclusive"] = m.Inconclusive,
                ["error"] = m.Error,
                ["consecutiveError"] = m.ConsecutiveError,
            }),
        })).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return verdict switch
        {
            Verdict.Promote => Promote,
            Verdict.Abort => Abort,
            _ => Inconclusive,
        };
    }

    private static void WriteMeasurement(TextWriter output, MetricMeasured m)
    {
        output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["metric"] = m.Metric,
            ["phase"] = m.Measurement.Phase.ToString(),
            ["value"] = m.Measurement.Value,
            ["startedAt"] = m.Measurement.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["finishedAt"] = m.Measurement.FinishedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["message"] = m.Measurement.Message,
        }));
        output.Flush();
    }

    private static async Task<string> ReadAsync(string path) =>
        path == "-" ? await Console.In.ReadToEndAsync().ConfigureAwait(false) : await File.ReadAllTextAsync(path).ConfigureAwait(false);
}
