using System.Globalization;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analyzer.Shadow;

/// <summary>Which of a Rollout's own analyses a shadow run stands beside.</summary>
public enum ShadowKind
{
    /// <summary>A canary step's <c>analysis</c> (Argo's step AnalysisRun, named <c>…-&lt;step&gt;</c>).</summary>
    Step,

    /// <summary><c>strategy.canary.analysis</c> (Argo's background AnalysisRun).</summary>
    Background,

    /// <summary><c>strategy.blueGreen.prePromotionAnalysis</c> (named <c>…-pre</c>).</summary>
    PrePromotion,

    /// <summary><c>strategy.blueGreen.postPromotionAnalysis</c> (named <c>…-post</c>).</summary>
    PostPromotion,
}

/// <summary>
/// One analysis a Rollout's own spec asks Argo to run now, found from the Rollout alone with Argo's rules
/// (<c>rollout/analysis.go</c>):
/// <list type="bullet">
/// <item>none while the Rollout is aborted, fully promoted (<c>stableRS == currentPodHash</c>), promoted in full
/// (<c>promoteFull</c>) or on its first deploy (no <c>stableRS</c>);</item>
/// <item>a step analysis when the current step (<c>currentStepIndex</c>) has <c>analysis</c> and the Rollout is not
/// paused (Argo creates the step run only without pause conditions);</item>
/// <item>the background analysis from <c>analysis.startingStep</c> on (from the start when unset);</item>
/// <item>blue-green pre-promotion while the active Service still selects another hash, post-promotion once it
/// selects the new one. Argo also waits there for the new ReplicaSet to be saturated, which the Rollout does not
/// show; the analyzer waits for Argo's own run of that kind to appear in the Rollout's status instead
/// (<c>status.blueGreen.prePromotionAnalysisRunStatus</c> / <c>postPromotionAnalysisRunStatus</c> naming the
/// current hash).</item>
/// </list>
/// </summary>
/// <param name="Kind">Which analysis.</param>
/// <param name="Step">The canary step index (step analysis only).</param>
/// <param name="PodTemplateHash"><c>status.currentPodHash</c>.</param>
/// <param name="Templates">The analysis' templates.</param>
/// <param name="Args">Its arguments; <c>podTemplateHashValue</c> already replaced by the hash.</param>
/// <param name="DryRun">Its <c>dryRun</c> rules.</param>
public sealed record ShadowPoint(ShadowKind Kind, int? Step, string PodTemplateHash, IReadOnlyList<TemplateRef> Templates, IReadOnlyList<Argument> Args, IReadOnlyList<DryRunRule> DryRun)
{
    /// <summary>The name Argo gives its own AnalysisRun for this point: <c>rollout-hash-revision[-step|-pre|-post]</c>.</summary>
    public string ArgoRunName(string rollout, string? revision)
    {
        string name = $"{rollout}-{PodTemplateHash}-{revision}";
        return Kind switch
        {
            ShadowKind.Step => $"{name}-{Step?.ToString(CultureInfo.InvariantCulture)}",
            ShadowKind.PrePromotion => name + "-pre",
            ShadowKind.PostPromotion => name + "-post",
            _ => name,
        };
    }

    /// <summary>The analyses Argo runs for the Rollout in its current state (none, one or two).</summary>
    public static IReadOnlyList<ShadowPoint> Of(ObjectMap rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ObjectMap spec = G(rollout, "spec") as ObjectMap ?? [];
        ObjectMap status = G(rollout, "status") as ObjectMap ?? [];
        ObjectMap strategy = G(spec, "strategy") as ObjectMap ?? [];
        string stable = G(status, "stableRS") as string ?? string.Empty;
        string hash = G(status, "currentPodHash") as string ?? string.Empty;
        if (G(status, "abort") is true || G(status, "promoteFull") is true || stable.Length == 0 || hash.Length == 0 || stable == hash)
        {
            return [];
        }

        var points = new List<ShadowPoint>();
        if (G(strategy, "canary") is ObjectMap canary)
        {
            var steps = G(canary, "steps") as List<object?> ?? [];
            int index = G(status, "currentStepIndex") is long l ? (int)l : 0;
            bool paused = (G(status, "pauseConditions") as List<object?> ?? []).Count > 0;
            if (!paused && index < steps.Count && steps[index] is ObjectMap step && Read(G(step, "analysis"), ShadowKind.Step, index, hash, stable) is { } stepPoint)
            {
                points.Add(stepPoint);
            }

            if (G(canary, "analysis") is ObjectMap background
                && !(steps.Count > 0 && G(background, "startingStep") is long starting && index < starting)
                && Read(background, ShadowKind.Background, null, hash, stable) is { } backgroundPoint)
            {
                points.Add(backgroundPoint);
            }
        }
        else if (G(strategy, "blueGreen") is ObjectMap blueGreen)
        {
            ObjectMap bg = G(status, "blueGreen") as ObjectMap ?? [];
            string active = G(bg, "activeSelector") as string ?? string.Empty;
            if (active.Length > 0 && active != hash && ArgoStarted(bg, "prePromotionAnalysisRunStatus", hash)
                && Read(G(blueGreen, "prePromotionAnalysis"), ShadowKind.PrePromotion, null, hash, stable) is { } pre)
            {
                points.Add(pre);
            }

            if (active == hash && ArgoStarted(bg, "postPromotionAnalysisRunStatus", hash)
                && Read(G(blueGreen, "postPromotionAnalysis"), ShadowKind.PostPromotion, null, hash, stable) is { } post)
            {
                points.Add(post);
            }
        }

        return points;
    }

    // Argo names its runs rollout-hash-revision[-infix]: a recorded run for this hash has "-hash-" in its name.
    private static bool ArgoStarted(ObjectMap blueGreenStatus, string field, string hash) =>
        G(blueGreenStatus, field) is ObjectMap run && G(run, "name") is string name && name.Contains($"-{hash}-", StringComparison.Ordinal);

    // A RolloutAnalysis: templates (templateName, clusterScope), args (value, valueFrom.podTemplateHashValue / fieldRef), dryRun.
    private static ShadowPoint? Read(object? analysis, ShadowKind kind, int? step, string hash, string stable)
    {
        if (analysis is not ObjectMap a)
        {
            return null;
        }

        var templates = (G(a, "templates") as List<object?> ?? []).OfType<ObjectMap>()
            .Where(t => G(t, "templateName") is string { Length: > 0 })
            .Select(t => new TemplateRef((string)G(t, "templateName")!, G(t, "clusterScope") is true)).ToList();
        if (templates.Count == 0)
        {
            return null;
        }

        var args = new List<Argument>();
        foreach (ObjectMap arg in (G(a, "args") as List<object?> ?? []).OfType<ObjectMap>())
        {
            if (G(arg, "name") is not string name)
            {
                continue;
            }

            ObjectMap from = G(arg, "valueFrom") as ObjectMap ?? [];
            args.Add(G(from, "podTemplateHashValue") switch
            {
                "Latest" => new Argument(name, hash),
                "Stable" => new Argument(name, stable),
                _ when G(from, "fieldRef") is ObjectMap field && G(field, "fieldPath") is string path => new Argument(name, FieldPath: path),
                _ => new Argument(name, G(arg, "value") as string ?? string.Empty),
            });
        }

        var dryRun = (G(a, "dryRun") as List<object?> ?? []).OfType<ObjectMap>()
            .Select(d => G(d, "metricName") as string).OfType<string>().Select(n => new DryRunRule(n)).ToList();
        return new ShadowPoint(kind, step, hash, templates, args, dryRun);
    }

    private static object? G(ObjectMap map, string key) => map.TryGetValue(key, out object? value) ? value : null;
}
