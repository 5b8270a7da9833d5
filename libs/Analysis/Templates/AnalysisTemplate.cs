using Lookout.Values;

namespace Lookout.Analysis.Templates;

/// <summary>An <c>AnalysisTemplate</c> or <c>ClusterAnalysisTemplate</c> (argoproj.io/v1alpha1) as written.</summary>
/// <param name="Kind"><c>AnalysisTemplate</c> or <c>ClusterAnalysisTemplate</c>.</param>
/// <param name="Name"><c>metadata.name</c>.</param>
/// <param name="Namespace"><c>metadata.namespace</c>; null for a ClusterAnalysisTemplate.</param>
/// <param name="Spec">The spec; metrics still hold their <c>{{args.*}}</c> placeholders.</param>
/// <param name="Source">Where it was read from, for messages (a file, or <c>AnalysisTemplate default/name</c>).</param>
public sealed record AnalysisTemplate(string Kind, string Name, string? Namespace, TemplateSpec Spec, string Source)
{
    public const string NamespacedKind = "AnalysisTemplate";
    public const string ClusterKind = "ClusterAnalysisTemplate";
}

/// <summary>A template's spec (<c>AnalysisTemplateSpec</c>).</summary>
public sealed record TemplateSpec(
    IReadOnlyList<MetricTemplate> Metrics,
    IReadOnlyList<Argument> Args,
    IReadOnlyList<DryRunRule> DryRun,
    IReadOnlyList<RetentionRule> MeasurementRetention);

/// <summary>One metric as written, before its arguments are substituted: its name and its whole object.</summary>
public sealed record MetricTemplate(string Name, ObjectMap Body);

/// <summary>An argument: a literal <c>value</c>, or <c>valueFrom</c> a Secret key or a Rollout field.</summary>
public sealed record Argument(string Name, string? Value = null, SecretKeyRef? SecretKeyRef = null, string? FieldPath = null)
{
    /// <summary>True when the argument has a value or a way to get one.</summary>
    public bool IsSupplied => Value is not null || SecretKeyRef is not null || FieldPath is not null;
}

/// <summary><c>valueFrom.secretKeyRef</c>: a key of a Secret in the run's namespace.</summary>
public sealed record SecretKeyRef(string Name, string Key);

/// <summary><c>dryRun[]</c>: metrics whose name matches <see cref="MetricName"/> (a regular expression) do not decide the run.</summary>
public sealed record DryRunRule(string MetricName);

/// <summary><c>measurementRetention[]</c>: how many measurements to keep for matching metrics (default 10).</summary>
public sealed record RetentionRule(string MetricName, int Limit);
