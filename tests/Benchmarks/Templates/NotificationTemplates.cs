using Lookout.Values;

namespace Lookout.Benchmarks.Templates;

/// <summary>Notification-sized templates and 1,000 different Applications, shared by the benchmark and its Go twin.</summary>
public static class NotificationTemplates
{
    /// <summary>Argo CD's catalog app-deployed message.</summary>
    public const string AppDeployed = """
        {{if eq .serviceType "slack"}}:white_check_mark:{{end}} Application {{.app.metadata.name}} is now running new version of deployments manifests.
        """;

    /// <summary>A sync-failed message with a Slack attachment in JSON, as Argo CD's catalog writes them.</summary>
    public const string AppSyncFailedSlack = """
        {{if eq .serviceType "slack"}}:exclamation:{{end}}  The sync operation of application {{.app.metadata.name}} has failed at {{.app.status.operationState.finishedAt}} with the following error: {{.app.status.operationState.message}}
        Sync operation details are available at: {{.context.argocdUrl}}/applications/{{.app.metadata.name}}?operation=true .
        [{
          "title": "{{ .app.metadata.name}}",
          "title_link":"{{.context.argocdUrl}}/applications/{{.app.metadata.name}}",
          "color": "#E96D76",
          "fields": [
          {
            "title": "Sync Status",
            "value": "{{.app.status.sync.status}}",
            "short": true
          },
          {
            "title": "Repository",
            "value": "{{.app.spec.source.repoURL}}",
            "short": true
          }
          {{range $index, $c := .app.status.conditions}}
          {{if not $index}},{{end}}
          {{if $index}},{{end}}
          {
            "title": "{{$c.type}}",
            "value": "{{$c.message}}",
            "short": true
          }
          {{end}}
          ]
        }]
        """;

    /// <summary>Our users' detailed deployment message (scenarios/notifications.yaml).</summary>
    public const string DeployedDetailed = """
        🚀 **Deployment Successful**
        **Application:** {{.app.metadata.name}}
        **Project:** {{.app.spec.project}}
        **Namespace:** {{.app.spec.destination.namespace}}
        **Sync Status:** {{.app.status.sync.status}}
        **Health Status:** {{.app.status.health.status}}
        **Source:**
        - Repository: {{.app.spec.source.repoURL}}
        - Path: {{.app.spec.source.path}}
        - Revision: {{.app.status.sync.revision}}
        **Deployed Resources:**
        {{range .app.status.resources}}- {{.kind}}/{{.name}} ({{.status}})
        {{end}}
        **View in ArgoCD:** https://argocd.example.com/applications/{{.app.metadata.name}}
        """;

    /// <summary>A range over resources and conditions with printf and comparisons.</summary>
    public const string ResourcesAndConditions = """
        {{.app.metadata.name}} ({{.app.status.health.status}}): {{len .app.status.resources}} resources
        {{range $i, $r := .app.status.resources}}{{if ne $r.status "Synced"}}{{printf "%-12s %s/%s is %s" $r.namespace $r.kind $r.name $r.status}}
        {{end}}{{end}}{{with .app.status.conditions}}Conditions:{{range .}} [{{.type}}] {{.message}};{{end}}{{else}}No conditions.{{end}}
        """;

    /// <summary>The four templates by name.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app-deployed"] = AppDeployed,
        ["app-sync-failed-slack"] = AppSyncFailedSlack,
        ["deployed-detailed"] = DeployedDetailed,
        ["resources-and-conditions"] = ResourcesAndConditions,
    };

    /// <summary>1,000 different Applications (names, statuses, resource and condition counts vary), as JSON.</summary>
    public static string ApplicationsJson(int count = 1000)
    {
        var apps = new List<object?>(count);
        string[] sync = ["Synced", "OutOfSync", "Unknown"];
        string[] health = ["Healthy", "Progressing", "Degraded", "Missing"];
        string[] kinds = ["Deployment", "Service", "ConfigMap", "Ingress", "StatefulSet"];
        for (int i = 0; i < count; i++)
        {
            var resources = new List<object?>();
            for (int r = 0; r < 2 + (i % 6); r++)
            {
                resources.Add(new ObjectMap
                {
                    ["kind"] = kinds[(i + r) % kinds.Length],
                    ["name"] = $"component-{r}",
                    ["namespace"] = $"team-{i % 17}",
                    ["status"] = (i + r) % 4 == 0 ? "OutOfSync" : "Synced",
                });
            }

            var conditions = new List<object?>();
            for (int c = 0; c < i % 3; c++)
            {
                conditions.Add(new ObjectMap { ["type"] = c == 0 ? "SyncError" : "ComparisonError", ["message"] = $"problem {c} of app {i}" });
            }

            apps.Add(new ObjectMap
            {
                ["app"] = new ObjectMap
                {
                    ["metadata"] = new ObjectMap { ["name"] = $"app-{i:D4}", ["namespace"] = "argocd" },
                    ["spec"] = new ObjectMap
                    {
                        ["project"] = $"project-{i % 7}",
                        ["source"] = new ObjectMap { ["repoURL"] = $"https://git.example.com/team-{i % 17}/deploy.git", ["path"] = $"apps/app-{i}", ["targetRevision"] = "HEAD" },
                        ["destination"] = new ObjectMap { ["server"] = "https://kubernetes.default.svc", ["namespace"] = $"team-{i % 17}" },
                    },
                    ["status"] = new ObjectMap
                    {
                        ["sync"] = new ObjectMap { ["status"] = sync[i % 3], ["revision"] = $"{i:x8}deadbeefcafebabe0123456789abcdef" },
                        ["health"] = new ObjectMap { ["status"] = health[i % 4] },
                        ["operationState"] = new ObjectMap { ["phase"] = i % 5 == 0 ? "Failed" : "Succeeded", ["message"] = $"operation message {i}", ["finishedAt"] = "2026-11-24T10:01:30Z" },
                        ["resources"] = resources,
                        ["conditions"] = conditions.Count == 0 ? null : conditions,
                    },
                },
                ["context"] = new ObjectMap { ["argocdUrl"] = "https://argocd.example.com", ["notificationType"] = "slack" },
                ["serviceType"] = i % 2 == 0 ? "slack" : "email",
                ["recipient"] = "deployments",
            });
        }

        return ObjectModel.ToJson(apps);
    }
}
