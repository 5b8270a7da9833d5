namespace Lookout.Analysis.Templates;

/// <summary>
/// The templates of one run flattened into one spec, as Argo's <c>FlattenTemplates</c> and <c>MergeArgs</c> do:
/// metrics of every template (names unique), their arguments merged, then the run's own arguments applied.
/// </summary>
/// <param name="Metrics">Every metric, in template order.</param>
/// <param name="Args">The merged arguments; each has a value or a <c>valueFrom</c>.</param>
/// <param name="DryRun">The dry-run rules of every template and of the run.</param>
/// <param name="MeasurementRetention">The retention rules of every template and of the run.</param>
/// <param name="TemplateNames">The templates, for messages.</param>
public sealed record AnalysisSpec(
    IReadOnlyList<MetricTemplate> Metrics,
    IReadOnlyList<Argument> Args,
    IReadOnlyList<DryRunRule> DryRun,
    IReadOnlyList<RetentionRule> MeasurementRetention,
    IReadOnlyList<string> TemplateNames)
{
    /// <summary>Flattens templates and applies the run's arguments (Argo's <c>NewAnalysisRunFromTemplates</c>).</summary>
    /// <exception cref="TemplateException">Two metrics share a name, an argument has two different values, a rule is repeated, or an argument has no value.</exception>
    public static AnalysisSpec From(IReadOnlyList<AnalysisTemplate> templates, IReadOnlyList<Argument>? runArgs = null, IReadOnlyList<DryRunRule>? runDryRun = null)
    {
        ArgumentNullException.ThrowIfNull(templates);

        // Argo lists AnalysisTemplates before ClusterAnalysisTemplates.
        var ordered = templates.Where(t => t.Kind != AnalysisTemplate.ClusterKind).Concat(templates.Where(t => t.Kind == AnalysisTemplate.ClusterKind)).ToList();
        var metrics = new List<MetricTemplate>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (MetricTemplate m in ordered.SelectMany(t => t.Spec.Metrics))
        {
            if (!names.Add(m.Name))
            {
                throw new TemplateException($"two metrics have the same name '{m.Name}'");
            }

            metrics.Add(m);
        }

        var args = new List<Argument>();
        foreach (Argument arg in ordered.SelectMany(t => t.Spec.Args))
        {
            int i = args.FindIndex(a => a.Name == arg.Name);
            if (i < 0)
            {
                args.Add(arg);
            }
            else if (args[i].Value is { } prev && arg.Value is { } next && prev != next)
            {
                throw new TemplateException($"Argument `{arg.Name}` specified multiple times with different values: '{prev}', '{next}'");
            }
            else if (args[i].Value is null)
            {
                args[i] = arg;
            }
        }

        foreach (Argument incoming in runArgs ?? [])
        {
            int i = args.FindIndex(a => a.Name == incoming.Name);
            if (i < 0)
            {
                continue;
            }

            if (incoming.Value is not null)
            {
                args[i] = args[i] with { Value = incoming.Value };
            }
            else if (incoming.SecretKeyRef is not null || incoming.FieldPath is not null)
            {
                // The run's valueFrom replaces the template's value, as Argo's MergeArgs lets the run's argument win.
                args[i] = args[i] with { Value = null, SecretKeyRef = incoming.SecretKeyRef, FieldPath = incoming.FieldPath };
            }
        }

        foreach (Argument arg in args)
        {
            if (!arg.IsSupplied)
            {
                throw new TemplateException($"args.{arg.Name} was not resolved");
            }
        }

        var dryRun = ordered.SelectMany(t => t.Spec.DryRun).ToList();
        NoDuplicates(dryRun.Select(d => d.MetricName), "two Dry-Run metric rules have the same name '{0}'");
        dryRun.AddRange(runDryRun ?? []);
        NoDuplicates(dryRun.Select(d => d.MetricName), "two Dry-Run metric rules have the same name '{0}'");
        var retention = ordered.SelectMany(t => t.Spec.MeasurementRetention).ToList();
        NoDuplicates(retention.Select(d => d.MetricName), "two Measurement Retention metric rules have the same name '{0}'");
        return new AnalysisSpec(metrics, args, dryRun, retention, ordered.Select(t => t.Name).ToList());
    }

    private static void NoDuplicates(IEnumerable<string> names, string format)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string n in names)
        {
            if (!seen.Add(n))
            {
                throw new TemplateException(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, n));
            }
        }
    }
}
