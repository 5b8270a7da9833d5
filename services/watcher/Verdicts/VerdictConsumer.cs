using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher.Verdicts;

/// <summary>
/// Applies the analyzer's gate verdicts to Rollouts: promote or abort as the kubectl plugin does, only while the
/// Rollout is still at the pod-template hash and step that was judged (else the verdict is stale: logged and
/// dropped). Each decision is also a Kubernetes Event on the Rollout.
/// </summary>
public sealed partial class VerdictConsumer(ClusterConnection cluster, IOptions<VerdictOptions> options, TimeProvider time, ILogger<VerdictConsumer> logger) : IConsumer<AnalysisVerdict>
{
    private const string Group = "argoproj.io";
    private const string Version = "v1alpha1";
    private const string Plural = "rollouts";

    /// <inheritdoc/>
    public Task Consume(ConsumeContext<AnalysisVerdict> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(context.Message, context.CancellationToken);
    }

    /// <summary>Applies one verdict; returns what was done (for logs and tests).</summary>
    public async Task<string> ApplyAsync(AnalysisVerdict v, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(v);
        ObjectIdentity r = v.Rollout;
        if (v.Mode != AnalysisModes.Gate)
        {
            Log.NotAGate(logger, r.Namespace, r.Name, v.Mode, v.Verdict);
            return "not a gate verdict";
        }

        if (cluster.Client is null && cluster.Source is Demo.ScenarioWatchSource replay)
        {
            // The demo's Rollouts live in the replay: it checks the vote as a cluster would and plays the branch it picks.
            string outcome = replay.ApplyVerdict(v);
            Log.Applied(logger, r.Namespace, r.Name, outcome + " (demo replay)", v.Reason);
            return outcome;
        }

        if (cluster.Client is not { } client)
        {
            Log.NoCluster(logger, r.Namespace, r.Name, v.Verdict);
            return "no cluster";
        }

        JsonObject? rollout = await GetAsync(client, r, ct).ConfigureAwait(false);
        string? stale = Stale(v, rollout);
        if (stale is not null)
        {
            Log.Stale(logger, r.Namespace, r.Name, v.Verdict, stale);
            return $"stale: {stale}";
        }

        string action;
        if (options.Value.VoteOnly || v.Verdict == Verdict.Inconclusive)
        {
            action = v.Verdict == Verdict.Inconclusive ? "left paused (inconclusive)" : $"vote {v.Verdict.ToString().ToLowerInvariant()} not applied (vote-only)";
        }
        else if (v.Verdict == Verdict.Promote)
        {
            RolloutVotes.Patches p = RolloutVotes.Promote(rollout!);
            string? spec = p.Spec;
            if (p.Status is not null && !await PatchAsync(client, r, p.Status, status: true, ct).ConfigureAwait(false))
            {
                spec = p.Unified;
            }

            if (spec is not null)
            {
                await PatchAsync(client, r, spec, status: false, ct).ConfigureAwait(false);
            }

            action = "promoted";
        }
        else
        {
            if (!await PatchAsync(client, r, RolloutVotes.AbortPatch, status: true, ct).ConfigureAwait(false))
            {
                await PatchAsync(client, r, RolloutVotes.AbortPatch, status: false, ct).ConfigureAwait(false);
            }

            action = "aborted";
        }

        Log.Applied(logger, r.Namespace, r.Name, action, v.Reason);
        await RecordEventAsync(client, v, action, ct).ConfigureAwait(false);
        return action;
    }

    /// <summary>Why a verdict no longer applies to the Rollout as it is now, or null when it does.</summary>
    public static string? Stale(AnalysisVerdict verdict, JsonObject? rollout)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (rollout is null)
        {
            return "the Rollout no longer exists";
        }

        if ((string?)rollout["metadata"]?["uid"] != verdict.Rollout.Uid)
        {
            return "the Rollout was re-created";
        }

        JsonNode? status = rollout["status"];
        if ((string?)status?["currentPodHash"] != verdict.PodTemplateHash)
        {
            return $"the Rollout is at pod-template hash {(string?)status?["currentPodHash"]}, the verdict judged {verdict.PodTemplateHash}";
        }

        int? step = status?["currentStepIndex"] is JsonValue s && s.TryGetValue(out int i) ? i : null;
        if (verdict.Step is int judged && step != judged)
        {
            return $"the Rollout is at step {step}, the verdict judged step {judged}";
        }

        if (status?["abort"] is JsonValue a && a.TryGetValue(out bool aborted) && aborted)
        {
            return "the Rollout was aborted";
        }

        return (status?["pauseConditions"] as JsonArray)?.Count > 0 || rollout["spec"]?["paused"] is JsonValue p && p.TryGetValue(out bool paused) && paused
            ? null
            : "the Rollout is no longer paused";
    }

    private static async Task<JsonObject?> GetAsync(IKubernetes client, ObjectIdentity r, CancellationToken ct)
    {
        try
        {
            object o = await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, r.Namespace, Plural, r.Name, ct).ConfigureAwait(false);
            return JsonNode.Parse(o is System.Text.Json.JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(o)) as JsonObject;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <returns>False when the API has no status subresource for Rollouts (404), as the kubectl plugin then falls back.</returns>
    private static async Task<bool> PatchAsync(IKubernetes client, ObjectIdentity r, string patch, bool status, CancellationToken ct)
    {
        var body = new V1Patch(patch, V1Patch.PatchType.MergePatch);
        try
        {
            if (status)
            {
                await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, Group, Version, r.Namespace, Plural, r.Name, cancellationToken: ct).ConfigureAwait(false);
            }
            else
            {
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(body, Group, Version, r.Namespace, Plural, r.Name, cancellationToken: ct).ConfigureAwait(false);
            }

            return true;
        }
        catch (HttpOperationException ex) when (status && ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task RecordEventAsync(IKubernetes client, AnalysisVerdict v, string action, CancellationToken ct)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{v.Rollout.Name}.{Guid.NewGuid():N}", NamespaceProperty = v.Rollout.Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = $"{Group}/{Version}", Kind = "Rollout", Name = v.Rollout.Name, NamespaceProperty = v.Rollout.Namespace, Uid = v.Rollout.Uid },
            Reason = v.Verdict switch { Verdict.Promote => "AnalysisPromote", Verdict.Abort => "AnalysisAbort", _ => "AnalysisInconclusive" },
            Message = $"Lookout analysis {v.Phase ?? v.Verdict.ToString()}: {action}. {v.Reason}".Trim(),
            Type = v.Verdict == Verdict.Promote ? "Normal" : "Warning",
            Source = new V1EventSource { Component = "lookout-watcher" },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(e, v.Rollout.Namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            // The decision stands without its Event; say so rather than fail the message.
            Log.EventFailed(logger, v.Rollout.Namespace, v.Rollout.Name, (int)ex.Response.StatusCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Namespace}/{Name}: {Mode} verdict {Verdict} is not applied")]
        public static partial void NotAGate(ILogger logger, string @namespace, string name, string mode, Verdict verdict);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {Namespace}/{Name}: verdict {Verdict} not applied: no cluster is configured")]
        public static partial void NoCluster(ILogger logger, string @namespace, string name, Verdict verdict);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Namespace}/{Name}: stale verdict {Verdict} dropped: {Why}")]
        public static partial void Stale(ILogger logger, string @namespace, string name, Verdict verdict, string why);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {Namespace}/{Name}: {Action} ({Reason})")]
        public static partial void Applied(ILogger logger, string @namespace, string name, string action, string? reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {Namespace}/{Name}: could not record the Event (HTTP {Status})")]
        public static partial void EventFailed(ILogger logger, string @namespace, string name, int status);
    }
}
