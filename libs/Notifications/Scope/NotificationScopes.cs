using Lookout.Notifications.Configuration;
using Lookout.Values;

namespace Lookout.Notifications.Scope;

/// <summary>
/// The variables triggers and templates see, as the embedding product builds them (notifications-engine's
/// <c>GetVars</c>): Argo CD puts the object in scope as <c>app</c> with <c>appProject</c>; Argo Rollouts as <c>rollout</c>.
/// Both add <c>context</c>, <c>secrets</c>, <c>time</c>, <c>strings</c>, <c>repo</c> and <c>sync</c>.
/// </summary>
public static class NotificationScopes
{
    /// <summary>The name the object has in scope for a kind.</summary>
    public static string ObjectVariable(string kind) => kind == "Rollout" ? "rollout" : "app";

    /// <summary>The variables of a trigger condition; <paramref name="repo"/> answers the <c>repo</c> helpers that ask Argo CD's repo server (null: they fail, saying none is configured).</summary>
    public static ObjectMap ForTrigger(string kind, object? obj, ObjectMap? project, NotificationConfig config, TimeProvider clock, IArgoRepoServer? repo = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectMap scope = NotificationScope.ForTemplate(obj, config.Context, string.Empty, string.Empty, config.SecretsInTemplates ? config.Secrets : null, clock, repo);
        scope.Remove("serviceType");
        scope.Remove("recipient");
        return Finish(kind, obj, project, scope);
    }

    /// <summary>The variables of a template rendered for one destination; <paramref name="repo"/> as for <see cref="ForTrigger"/>.</summary>
    public static ObjectMap ForTemplate(string kind, object? obj, ObjectMap? project, NotificationConfig config, Destination destination, TimeProvider clock, IArgoRepoServer? repo = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(destination);
        ObjectMap scope = NotificationScope.ForTemplate(obj, config.Context, destination.Service, destination.Recipient, config.SecretsInTemplates ? config.Secrets : null, clock, repo);
        return Finish(kind, obj, project, scope);
    }

    private static ObjectMap Finish(string kind, object? obj, ObjectMap? project, ObjectMap scope)
    {
        if (kind == "Rollout")
        {
            scope.Remove("app");
            scope["rollout"] = obj;
        }
        else
        {
            scope["appProject"] = project ?? new ObjectMap();
        }

        return scope;
    }
}
