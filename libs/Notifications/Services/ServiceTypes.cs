namespace Lookout.Notifications.Services;

/// <summary>The service types the notifier knows, by name. Registering a type is one line in <see cref="BuiltIn"/>.</summary>
public sealed class ServiceTypes
{
    private readonly Dictionary<string, INotificationServiceType> types = new(StringComparer.Ordinal);

    /// <summary>Every built-in type: slack, email, teams, teams-workflows, webhook and log (alias console).</summary>
    public static ServiceTypes BuiltIn() => new ServiceTypes()
        .Add(new Slack.SlackServiceType())
        .Add(new Email.EmailServiceType())
        .Add(new Teams.TeamsServiceType())
        .Add(new TeamsWorkflows.TeamsWorkflowsServiceType())
        .Add(new Webhook.WebhookServiceType())
        .Add(new Log.LogServiceType("log"))
        .Add(new Log.LogServiceType("console"));

    /// <summary>Adds (or replaces) a type.</summary>
    public ServiceTypes Add(INotificationServiceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        types[type.Name] = type;
        return this;
    }

    /// <summary>The type of a name, or null.</summary>
    public INotificationServiceType? Find(string name) => types.GetValueOrDefault(name);

    /// <summary>The names.</summary>
    public IReadOnlyCollection<string> Names => types.Keys;
}
