using System.Globalization;
using System.Text.Json.Nodes;

namespace Lookout.Watcher.Verdicts;

/// <summary>
/// The patches <c>kubectl argo rollouts promote</c> and <c>abort</c> send (merge patches; status changes go to the
/// <c>status</c> subresource, and to the object itself when the API has no such subresource).
/// </summary>
public static class RolloutVotes
{
    /// <summary>Abort: <c>{"status":{"abort":true}}</c>.</summary>
    public const string AbortPatch = """{"status":{"abort":true}}""";

    /// <summary>The spec patch, the status patch and the patch used when there is no status subresource.</summary>
    public sealed record Patches(string? Spec, string? Status, string Unified);

    /// <summary>What <c>kubectl argo rollouts promote NAME</c> (without flags) patches for this Rollout.</summary>
    public static Patches Promote(JsonObject rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        JsonObject spec = rollout["spec"] as JsonObject ?? [];
        JsonObject status = rollout["status"] as JsonObject ?? [];
        bool paused = spec["paused"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        int pauseConditions = (status["pauseConditions"] as JsonArray)?.Count ?? 0;
        bool controllerPause = status["controllerPause"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        JsonArray? steps = spec["strategy"]?["canary"]?["steps"] as JsonArray;
        int? index = CurrentStep(status, steps);
        string unified = """{"spec":{"paused":false},"status":{"pauseConditions":null}}""";
        string? specPatch = paused ? """{"spec":{"paused":false}}""" : null;
        string? statusPatch = null;
        bool inconclusive = steps is not null
            && (string?)status["canary"]?["currentStepAnalysisRunStatus"]?["status"] == "Inconclusive";
        if (inconclusive && pauseConditions > 0 && controllerPause)
        {
            if (index is int i)
            {
                statusPatch = string.Create(CultureInfo.InvariantCulture, $$$"""{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":{{{Next(i, steps!)}}}}}""");
            }
        }
        else if (pauseConditions > 0)
        {
            statusPatch = """{"status":{"pauseConditions":null}}""";
        }
        else if (steps is not null && index is int i)
        {
            int next = Next(i, steps);
            statusPatch = string.Create(CultureInfo.InvariantCulture, $$$"""{"status":{"pauseConditions":null, "currentStepIndex":{{{next}}}}}""");
            unified = string.Create(CultureInfo.InvariantCulture, $$$"""{"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":{{{next}}}}}""");
        }

        return new Patches(specPatch, statusPatch, unified);
    }

    /// <summary>argo-rollouts' <c>GetCurrentCanaryStep</c> index: null without steps, else the status index (0 when unset).</summary>
    private static int? CurrentStep(JsonObject status, JsonArray? steps) =>
        steps is null || steps.Count == 0 ? null : status["currentStepIndex"] is JsonValue v && v.TryGetValue(out int i) ? i : 0;

    private static int Next(int index, JsonArray steps) => index < steps.Count ? index + 1 : index;
}
