using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analyzer.Gate;

/// <summary>
/// A Rollout opts in to gate mode with annotations, and the point where it waits for the analyzer's vote:
/// <list type="bullet">
/// <item><c>analysis.lookout.io/templates</c>: template names, comma-separated (<c>cluster:name</c> for a ClusterAnalysisTemplate);</item>
/// <item><c>analysis.lookout.io/arg.NAME</c>: the value of argument NAME;</item>
/// <item><c>analysis.lookout.io/steps</c>: for a canary, the step indexes to judge (default: every pause step).</item>
/// </list>
/// A canary is at a gate when its current step is a <c>pause</c> and it is paused there (pause condition
/// <c>CanaryPauseStep</c>); a blue-green Rollout when it waits for promotion (<c>autoPromotionEnabled: false</c>,
/// pause condition <c>BlueGreenPause</c>).
/// </summary>
/// <param name="Templates">The templates to run.</param>
/// <param name="Args">The arguments from annotations.</param>
/// <param name="PodTemplateHash"><c>status.currentPodHash</c>.</param>
/// <param name="Step">The canary step index; null for a blue-green promotion.</param>
public sealed record GatePoint(IReadOnlyList<TemplateRef> Templates, IReadOnlyList<Argument> Args, string PodTemplateHash, int? Step)
{
    public const string TemplatesAnnotation = "analysis.lookout.io/templates";
    public const string ArgPrefix = "analysis.lookout.io/arg.";
    public const string StepsAnnotation = "analysis.lookout.io/steps";

    /// <summary>The gate the Rollout waits at now, or null when it does not opt in or is not waiting.</summary>
    public static GatePoint? Of(ObjectMap rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ObjectMap metadata = G(rollout, "metadata") as ObjectMap ?? [];
        ObjectMap annotations = G(metadata, "annotations") as ObjectMap ?? [];
        if (G(annotations, TemplatesAnnotation) is not string names || names.Trim().Length == 0)
        {
            return null;
        }

        ObjectMap spec = G(rollout, "spec") as ObjectMap ?? [];
        ObjectMap status = G(rollout, "status") as ObjectMap ?? [];
        ObjectMap strategy = G(spec, "strategy") as ObjectMap ?? [];
        if (G(status, "abort") is true || G(status, "currentPodHash") is not string hash || hash.Length == 0)
        {
            return null;
        }

        var reasons = (G(status, "pauseConditions") as List<object?> ?? []).OfType<ObjectMap>().Select(c => G(c, "reason") as string).ToList();
        int? step;
        if (G(strategy, "canary") is ObjectMap canary)
        {
            var steps = G(canary, "steps") as List<object?> ?? [];
            int index = G(status, "currentStepIndex") is long l ? (int)l : 0;
            if (index >= steps.Count || steps[index] is not ObjectMap current || !current.ContainsKey("pause") || !reasons.Contains("CanaryPauseStep"))
            {
                return null;
            }

            if (G(annotations, StepsAnnotation) is string only && !only.Split(',').Select(s => s.Trim()).Contains(index.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                return null;
            }

            step = index;
        }
        else if (G(strategy, "blueGreen") is ObjectMap blueGreen)
        {
            if (G(blueGreen, "autoPromotionEnabled") is not false || !reasons.Contains("BlueGreenPause"))
            {
                return null;
            }

            step = null;
        }
        else
        {
            return null;
        }

        var templates = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TemplateRef.Parse).ToList();
        var args = annotations.Where(a => a.Key.StartsWith(ArgPrefix, StringComparison.Ordinal) && a.Value is string)
            .Select(a => new Argument(a.Key[ArgPrefix.Length..], (string)a.Value!)).ToList();
        return new GatePoint(templates, args, hash, step);
    }

    private static object? G(ObjectMap map, string key) => map.TryGetValue(key, out object? value) ? value : null;
}
