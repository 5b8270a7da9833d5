using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Analysis.Templates;

/// <summary>Reads a Secret's data for <c>valueFrom.secretKeyRef</c> arguments.</summary>
public interface ISecretReader
{
    /// <summary>The Secret's decoded data, or null when there is no such Secret.</summary>
    Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken);
}

/// <summary>The metrics of a run, ready to measure: arguments resolved and substituted, validated as Argo validates them.</summary>
/// <param name="Metrics">The metrics, in order.</param>
/// <param name="DryRunMetrics">Names of the metrics in dry-run.</param>
/// <param name="RetentionLimits">Measurements to keep per metric name, where a rule says so.</param>
/// <param name="Secrets">Values that came from Secrets: they are masked in every message.</param>
public sealed record ResolvedAnalysis(
    IReadOnlyList<Metric> Metrics,
    IReadOnlySet<string> DryRunMetrics,
    IReadOnlyDictionary<string, int> RetentionLimits,
    IReadOnlyList<string> Secrets);

/// <summary>
/// Resolves a run's arguments (<c>value</c>, <c>valueFrom.secretKeyRef</c>, <c>valueFrom.fieldRef</c> into the
/// Rollout) and substitutes <c>{{args.name}}</c> in every metric, as Argo's <c>ResolveArgs</c> does (fasttemplate:
/// the tag between the braces is trimmed; an unknown tag is an error).
/// </summary>
public static class ArgumentResolver
{
    /// <summary>Resolves and validates a flattened spec.</summary>
    /// <param name="spec">The flattened templates.</param>
    /// <param name="namespace">Where Secrets are read from.</param>
    /// <param name="rollout">The Rollout, for <c>fieldRef</c> arguments (null when there is none).</param>
    /// <param name="secrets">Reads Secrets; null when no Secret can be read (a secretKeyRef is then an error).</param>
    /// <param name="knownProviders">The providers that are registered.</param>
    /// <param name="cancellationToken">Stops Secret reads.</param>
    /// <exception cref="TemplateException">An argument cannot be resolved or the spec is invalid (Argo's messages, prefixed as Argo prefixes them).</exception>
    public static async Task<ResolvedAnalysis> ResolveAsync(
        AnalysisSpec spec,
        string @namespace,
        ObjectMap? rollout,
        ISecretReader? secrets,
        IReadOnlyCollection<string> knownProviders,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secretValues = new List<string>();
        foreach (Argument arg in spec.Args)
        {
            string value;
            if (arg.Value is not null)
            {
                value = arg.Value;
            }
            else if (arg.FieldPath is not null)
            {
                value = rollout is null
                    ? throw new TemplateException($"Unable to resolve metric arguments: args.{arg.Name} reads {arg.FieldPath} from the Rollout, and there is no Rollout (pass --rollout <rollout.yaml>)")
                    : FieldOf(rollout, arg.FieldPath, arg.Name);
            }
            else
            {
                SecretKeyRef r = arg.SecretKeyRef!;
                IReadOnlyDictionary<string, byte[]>? data = secrets is null
                    ? throw new TemplateException($"Unable to resolve metric arguments: args.{arg.Name} reads Secret {r.Name}, and no cluster is configured to read it from")
                    : await secrets.ReadAsync(@namespace, r.Name, cancellationToken).ConfigureAwait(false);
                if (data is null)
                {
                    throw new TemplateException($"Unable to resolve metric arguments: secrets \"{r.Name}\" not found");
                }

                if (!data.TryGetValue(r.Key, out byte[]? bytes))
                {
                    throw new TemplateException($"Unable to resolve metric arguments: key '{r.Key}' does not exist in secret '{r.Name}'");
                }

                value = Encoding.UTF8.GetString(bytes);
                if (value.Length > 0)
                {
                    secretValues.Add(value);
                }
            }

            values[$"args.{arg.Name}"] = value;
        }

        var metrics = new List<Metric>();
        for (int i = 0; i < spec.Metrics.Count; i++)
        {
            MetricTemplate template = spec.Metrics[i];
            ObjectMap body;
            try
            {
                body = (ObjectMap)Substitute(template.Body, values)!;
            }
            catch (TemplateException ex)
            {
                throw new TemplateException($"Unable to resolve metric arguments: {Mask(ex.Message, secretValues)}");
            }

            Metric metric;
            try
            {
                metric = Metric.FromBody(body, knownProviders);
            }
            catch (TemplateException ex)
            {
                throw new TemplateException($"Analysis spec invalid: metrics[{i}]: {Mask(ex.Message, secretValues)}");
            }

            if (metric.Validate() is { } problem)
            {
                throw new TemplateException($"Analysis spec invalid: metrics[{i}]: {problem}");
            }

            metrics.Add(metric);
        }

        if (metrics.Count == 0)
        {
            throw new TemplateException("Analysis spec invalid: no metrics specified");
        }

        var dryRun = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < spec.DryRun.Count; i++)
        {
            var matched = Matching(spec.DryRun[i].MetricName, metrics, $"dryRun[{i}]");
            dryRun.UnionWith(matched);
        }

        var retention = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < spec.MeasurementRetention.Count; i++)
        {
            foreach (string name in Matching(spec.MeasurementRetention[i].MetricName, metrics, $"measurementRetention[{i}]"))
            {
                retention[name] = spec.MeasurementRetention[i].Limit;
            }
        }

        return new ResolvedAnalysis(metrics, dryRun, retention, secretValues);
    }

    /// <summary>Replaces every occurrence of a secret value with <c>*****</c>, as Argo redacts measurement messages.</summary>
    public static string Mask(string message, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (string s in secrets ?? [])
        {
            if (s.Length > 0)
            {
                message = message.Replace(s, "*****", StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>fasttemplate's substitution of <c>{{tag}}</c> in one string, the tag trimmed of spaces.</summary>
    /// <exception cref="TemplateException">A tag has no value or a <c>{{</c> has no <c>}}</c>.</exception>
    public static string SubstituteText(string text, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        int open = text.IndexOf("{{", StringComparison.Ordinal);
        if (open < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int pos = 0;
        string? unresolved = null;
        while (open >= 0)
        {
            sb.Append(text, pos, open - pos);
            int close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TemplateException($"cannot find end tag=\"}}}}\" in the template=\"{text}\" starting from \"{text[(open + 2)..]}\"");
            }

            string tag = text[(open + 2)..close];
            if (values.TryGetValue(tag.Trim(' ', '\t', '\n', '\r', '\v', '\f'), out string? value))
            {
                sb.Append(value);
            }
            else
            {
                unresolved = tag;
            }

            pos = close + 2;
            open = text.IndexOf("{{", pos, StringComparison.Ordinal);
        }

        sb.Append(text, pos, text.Length - pos);
        return unresolved is null ? sb.ToString() : throw new TemplateException($"failed to resolve {{{{{unresolved}}}}}");
    }

    private static object? Substitute(object? node, IReadOnlyDictionary<string, string> values) => node switch
    {
        string s => SubstituteText(s, values),
        ObjectMap m => SubstituteMap(m, values),
        List<object?> l => l.Select(x => Substitute(x, values)).ToList(),
        _ => node,
    };

    private static ObjectMap SubstituteMap(ObjectMap m, IReadOnlyDictionary<string, string> values)
    {
        var copy = new ObjectMap(m.Count);
        foreach (var (k, v) in m)
        {
            copy[SubstituteText(k, values)] = Substitute(v, values);
        }

        return copy;
    }

    private static List<string> Matching(string pattern, List<Metric> metrics, string where)
    {
        Regex regex;
        try
        {
            // Go's regexp (RE2) never backtracks; the non-backtracking engine keeps a user's pattern linear too.
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new TemplateException($"Analysis spec invalid: {where}: invalid metricName pattern: {ex.Message}", ex);
        }

        var matched = metrics.Where(m => regex.IsMatch(m.Name)).Select(m => m.Name).ToList();
        return matched.Count > 0 ? matched : throw new TemplateException($"Analysis spec invalid: {where}: Rule didn't match any metric name(s)");
    }

    /// <summary>Argo's <c>extractValueFromRollout</c>: a dotted / indexed path into the Rollout, to a primitive value.</summary>
    private static string FieldOf(ObjectMap rollout, string path, string argName)
    {
        object? current = GoJson.Unmarshal(ObjectModel.ToJson(rollout));
        foreach (string section in path.Split(['.', '[', ']'], StringSplitOptions.RemoveEmptyEntries))
        {
            current = current switch
            {
                List<object?> list when !int.TryParse(section, out int i) => throw Fail($"invalid index '{section}'"),
                List<object?> list when int.Parse(section, System.Globalization.CultureInfo.InvariantCulture) >= list.Count =>
                    throw Fail($"index {section} out of range"),
                List<object?> list => list[int.Parse(section, System.Globalization.CultureInfo.InvariantCulture)],
                ObjectMap map => map.TryGetValue(section, out object? v) ? v : null,
                _ => throw Fail($"invalid path {path} in rollout"),
            };
        }

        return current switch
        {
            null => throw Fail($"invalid path {path} in rollout"),
            List<object?> or ObjectMap => throw Fail($"path {path} in rollout must terminate in a primitive value"),
            _ => GoFmt.ToString(current),
        };

        TemplateException Fail(string message) => new($"Unable to resolve metric arguments: args.{argName}: {message}");
    }
}
