using Lookout.Values;

namespace Lookout.Benchmarks.Expr;

/// <summary>The trigger conditions of Argo CD's default catalog and 1,000 varied Applications to evaluate them on.</summary>
public static class TriggerConditions
{
    /// <summary>The seven non-constant <c>when</c> conditions of the catalog, and the <c>any(app.status.resources, …)</c> form.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["on-deleted"] = "app.metadata.deletionTimestamp != nil",
        ["on-deployed"] = "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy' and (!time.Parse(app.status.health.lastTransitionTime).Add(1 * time.Minute).Before(time.Parse(app.status.operationState.finishedAt)) or time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.startedAt)))",
        ["on-health-degraded"] = "app.status.health.status == 'Degraded'",
        ["on-sync-failed"] = "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
        ["on-sync-running"] = "app.status.operationState != nil and app.status.operationState.phase in ['Running']",
        ["on-sync-status-unknown"] = "app.status.sync.status == 'Unknown'",
        ["on-sync-succeeded"] = "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']",
        ["any-resource-degraded"] = "any(app.status.resources, {.health.status == 'Degraded'})",
    };

    /// <summary>1,000 Applications: phases, health, sync states, deletions and resource lists vary from one to the next.</summary>
    public static string ApplicationsJson(int count = 1000)
    {
        string[] phases = ["Succeeded", "Failed", "Error", "Running", "Succeeded"];
        string[] health = ["Healthy", "Progressing", "Degraded", "Healthy", "Missing"];
        string[] sync = ["Synced", "OutOfSync", "Unknown"];
        var apps = new List<object?>(count);
        for (int i = 0; i < count; i++)
        {
            var resources = new List<object?>();
            for (int r = 0; r < 3 + (i % 8); r++)
            {
                resources.Add(new ObjectMap
                {
                    ["kind"] = r % 2 == 0 ? "Deployment" : "Service",
                    ["name"] = $"component-{r}",
                    ["status"] = "Synced",
                    ["health"] = new ObjectMap { ["status"] = (i + r) % 13 == 0 ? "Degraded" : "Healthy" },
                });
            }

            var status = new ObjectMap
            {
                ["sync"] = new ObjectMap { ["status"] = sync[i % 3], ["revision"] = $"{i:x8}deadbeef" },
                ["health"] = new ObjectMap { ["status"] = health[i % 5], ["lastTransitionTime"] = $"2026-11-24T10:0{i % 4}:10Z" },
                ["resources"] = resources,
            };
            if (i % 7 != 0)
            {
                status["operationState"] = new ObjectMap
                {
                    ["phase"] = phases[i % 5],
                    ["startedAt"] = "2026-11-24T10:01:00Z",
                    ["finishedAt"] = "2026-11-24T10:01:30Z",
                    ["syncResult"] = new ObjectMap { ["revision"] = $"{i:x8}deadbeef" },
                };
            }

            var metadata = new ObjectMap { ["name"] = $"app-{i:D4}", ["namespace"] = "argocd" };
            if (i % 11 == 0)
            {
                metadata["deletionTimestamp"] = "2026-11-24T11:00:00Z";
            }

            apps.Add(new ObjectMap { ["metadata"] = metadata, ["status"] = status });
        }

        return ObjectModel.ToJson(apps);
    }
}
