namespace Lookout.Watcher.Kubernetes;

/// <summary>A custom resource kind the watcher lists and watches.</summary>
/// <param name="Kind">The object kind, such as <c>Application</c>.</param>
/// <param name="Group">The API group.</param>
/// <param name="Version">The API version.</param>
/// <param name="Plural">The resource's plural name in URLs.</param>
public sealed record WatchedKind(string Kind, string Group, string Version, string Plural)
{
    /// <summary>Argo CD Applications.</summary>
    public static WatchedKind Application { get; } = new("Application", "argoproj.io", "v1alpha1", "applications");

    /// <summary>Argo Rollouts Rollouts.</summary>
    public static WatchedKind Rollout { get; } = new("Rollout", "argoproj.io", "v1alpha1", "rollouts");

    /// <summary>Argo Rollouts AnalysisRuns (read, not watched: the owner of an Event's AnalysisRun).</summary>
    public static WatchedKind AnalysisRun { get; } = new("AnalysisRun", "argoproj.io", "v1alpha1", "analysisruns");

    /// <summary>Kubernetes Events (core/v1, so no group).</summary>
    public static WatchedKind Event { get; } = new("Event", string.Empty, "v1", "events");

    /// <summary>Whether the kind is in the core API group (<c>/api/v1</c> rather than <c>/apis/{group}/{version}</c>).</summary>
    public bool IsCore => Group.Length == 0;

    /// <summary>The kind a watched object is, by its <c>kind</c> field, or null.</summary>
    public static WatchedKind? FromKind(string? kind) => kind switch
    {
        "Application" => Application,
        "Rollout" => Rollout,
        _ => null,
    };
}

/// <summary>
/// One list+watch stream: a kind in one namespace, or in all namespaces when <paramref name="Namespace"/> is null,
/// optionally narrowed by a field selector (Events: <c>involvedObject.kind=Rollout</c>).
/// </summary>
public sealed record WatchScope(WatchedKind Kind, string? Namespace, string? LabelSelector, string? FieldSelector = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        FieldSelector is null ? $"{Kind.Plural} in {Namespace ?? "all namespaces"}" : $"{Kind.Plural} ({FieldSelector}) in {Namespace ?? "all namespaces"}";
}
