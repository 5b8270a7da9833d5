using System.Text.RegularExpressions;

namespace Lookout.Notifications.Triggers;

/// <summary>
/// Argo Rollouts' event-driven triggers: when its controller records a Kubernetes Event, the Event's reason names
/// the trigger to run (<c>RolloutCompleted</c> → <c>on-rollout-completed</c>, <c>ScalingReplicaSet</c> →
/// <c>on-scaling-replica-set</c>), as argo-rollouts' <c>utils/record</c> translates it.
/// </summary>
public static partial class EventTriggers
{
    /// <summary>
    /// The reasons the Rollouts controller records Events with (read from argo-rollouts' sources), so a trigger named
    /// after one of them is run from its Events and not also from the Rollout's changes.
    /// </summary>
    public static IReadOnlyList<string> KnownReasons { get; } = BuildKnownReasons();

    private static readonly HashSet<string> KnownTriggers = new(KnownReasons.Select(TriggerOf), StringComparer.Ordinal);

    /// <summary>The trigger an Event reason fires: a hyphen before each inner capitalised word, lower case, <c>on-</c> in front.</summary>
    public static string TriggerOf(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        string words = FirstCapital().Replace(reason, "$1-$2");
        words = AllCapitals().Replace(words, "$1-$2");
        return "on-" + words.ToLowerInvariant();
    }

    /// <summary>Whether a trigger is fired by the Rollouts controller's Events (its name comes from a known reason).</summary>
    public static bool IsEventTrigger(string trigger) => KnownTriggers.Contains(trigger);

    private static List<string> BuildKnownReasons()
    {
        var reasons = new List<string>
        {
            "RolloutCompleted", "RolloutNotCompleted", "RolloutUpdated", "RolloutAborted", "RolloutPaused", "RolloutResumed",
            "RolloutStepCompleted", "RolloutHealthy", "RolloutDeleted", "RolloutAddedToInformer", "ReconciliationError",
            "ScalingReplicaSet", "NewReplicaSetCreated", "ReplicaSetCreateError", "ReplicaSetUpdateError", "SkipSteps",
            "SwitchService", "TrafficWeightUpdated", "TrafficRoutingError", "WeightVerifyError", "StepPluginTransition",
            "TargetGroupVerified", "TargetGroupUnverified", "TargetGroupVerifyError", "LoadBalancerNotFound",
            "PatchingALBIngress", "PatchingCanaryIngress", "CreatingCanaryIngress", "VirtualServiceNotFound",
            "DestinationRuleNotFound", "UpdatedDestinationRule", "VirtualRouterNotFound", "VirtualNodeNotFound",
            "TrafficSplitCreated", "TrafficSplitNotCreated", "ExperimentCreated", "AnalysisRunTerminating",
        };
        foreach (string phase in new[] { "Pending", "Running", "Successful", "Failed", "Error", "Inconclusive" })
        {
            reasons.Add("AnalysisRun" + phase);
            reasons.Add("Metric" + phase);
            reasons.Add("Experiment" + phase);
        }

        return reasons;
    }

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex FirstCapital();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex AllCapitals();
}
