using Lookout.Notifications.Subscriptions;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;

namespace Lookout.Notifications.Configuration;

/// <summary>
/// One parsed configuration (argocd-notifications-cm and argocd-notifications-secret over the built-in catalog), as
/// notifications-engine's <c>api.Config</c>: services, triggers, templates, subscriptions, default triggers and
/// context. Immutable: a reload builds a new one, so in-flight evaluations finish on the one they started with.
/// </summary>
public sealed class NotificationConfig
{
    /// <summary>The ConfigMap's name and namespace, for messages.</summary>
    public required string Source { get; init; }

    /// <summary>The namespace of the ConfigMap.</summary>
    public required string Namespace { get; init; }

    /// <summary>Services by name.</summary>
    public required IReadOnlyDictionary<string, ConfigService> Services { get; init; }

    /// <summary>The triggers' definitions by name (the ones that compiled).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<Condition>> TriggerDefinitions { get; init; }

    /// <summary>Evaluates the triggers.</summary>
    public required ITriggerEvaluator Triggers { get; init; }

    /// <summary>Formats the templates.</summary>
    public required NotificationFormatter Templates { get; init; }

    /// <summary>The ConfigMap's <c>subscriptions</c>.</summary>
    public required IReadOnlyList<DefaultSubscription> Subscriptions { get; init; }

    /// <summary><c>defaultTriggers</c>.</summary>
    public required IReadOnlyList<string> DefaultTriggers { get; init; }

    /// <summary><c>defaultTriggers.&lt;service&gt;</c>.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ServiceDefaultTriggers { get; init; }

    /// <summary><c>context</c> (for example <c>argocdUrl</c>).</summary>
    public required IReadOnlyDictionary<string, string> Context { get; init; }

    /// <summary>The Secret's values, offered to templates as <c>.secrets</c> (never logged).</summary>
    public required IReadOnlyDictionary<string, string> Secrets { get; init; }

    /// <summary>The entries that could not be used, and warnings.</summary>
    public required IReadOnlyList<ConfigProblem> Problems { get; init; }

    /// <summary>
    /// The namespace of a self-service configuration (the ConfigMap in the object's own namespace), which prefixes the
    /// notified-state keys as notifications-engine does; null for the controller's own configuration.
    /// </summary>
    public string? SelfServiceNamespace { get; private set; }

    /// <summary>Whether templates see <c>.secrets</c> (Argo CD hides them from every configuration once self-service is on).</summary>
    public bool SecretsInTemplates { get; private set; } = true;

    /// <summary>
    /// Whether destinations naming a service this configuration does not have are left to the other configuration (the
    /// self-service mode, where an object's annotations name the services of both), instead of failing as unknown.
    /// </summary>
    public bool OwnServicesOnly { get; private set; }

    /// <summary>This configuration in the self-service mode: its namespace (null for the controller's own) and whether templates see secrets (a shallow copy).</summary>
    public NotificationConfig With(string? selfServiceNamespace, bool secretsInTemplates)
    {
        var copy = (NotificationConfig)MemberwiseClone();
        copy.SelfServiceNamespace = selfServiceNamespace;
        copy.SecretsInTemplates = secretsInTemplates;
        copy.OwnServicesOnly = true;
        return copy;
    }

    /// <summary>Whether this configuration sends to a destination (see <see cref="OwnServicesOnly"/>).</summary>
    public bool Serves(Destination destination) => !OwnServicesOnly || Services.ContainsKey(destination.Service);
}
