using Lookout.Values;

namespace Lookout.Notifications.Scope;

/// <summary>
/// What Argo CD's notification templates see: <c>.app</c>, <c>.context</c> (the ConfigMap's <c>context</c> plus
/// <c>notificationType</c>), <c>.secrets</c> where allowed, <c>.serviceType</c>, <c>.recipient</c>, and the
/// <c>repo</c>, <c>time</c>, <c>strings</c> and <c>sync</c> helpers (argo-cd's getVars plus notifications-engine's
/// Send).
/// </summary>
public static class NotificationScope
{
    /// <summary>The template variables for one notification to one destination.</summary>
    /// <param name="app">The Application (or Rollout) as decoded once from the event.</param>
    /// <param name="context">The <c>context</c> of argocd-notifications-cm (for example <c>argocdUrl</c>).</param>
    /// <param name="serviceType">The destination's service (<c>slack</c>, <c>email</c>…).</param>
    /// <param name="recipient">The destination's recipient (a channel, an address).</param>
    /// <param name="secrets">argocd-notifications-secret's data; null in self-service mode, where templates get none.</param>
    /// <param name="clock">The clock of <c>time.Now</c>.</param>
    /// <param name="repoServer">Answers <c>repo.GetCommitMetadata</c> and <c>repo.GetAppDetails</c>.</param>
    public static ObjectMap ForTemplate(
        object? app,
        IReadOnlyDictionary<string, string> context,
        string serviceType,
        string recipient,
        IReadOnlyDictionary<string, string>? secrets = null,
        TimeProvider? clock = null,
        IArgoRepoServer? repoServer = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var contextWithType = new ObjectMap() { ["notificationType"] = serviceType };
        foreach ((string key, string value) in context)
        {
            contextWithType[key] = value;
        }

        var vars = new ObjectMap()
        {
            ["app"] = app,
            ["context"] = contextWithType,
        };
        if (secrets is not null)
        {
            vars["secrets"] = secrets.ToObjectMap(kv => kv.Key, kv => kv.Value);
        }

        ObjectMap scope = ArgoHelpers.Spawn(vars, app, clock, repoServer);
        scope["serviceType"] = serviceType;
        scope["recipient"] = recipient;
        return scope;
    }

    /// <summary>The variables of a trigger condition: <c>app</c> and the helpers (no destination yet).</summary>
    public static ObjectMap ForTrigger(object? app, TimeProvider? clock = null, IArgoRepoServer? repoServer = null) =>
        ArgoHelpers.Spawn(new ObjectMap() { ["app"] = app }, app, clock, repoServer);
}
