using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Slack;
using Lookout.Values;
using Lookout.Values.Yaml;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lookout.Notifications.Tests;

/// <summary>Configurations and objects for the tests.</summary>
internal static class TestConfigs
{
    public static ServiceContext Services(HttpClient? http = null, ISlackThreadStore? threads = null) => new()
    {
        HttpClients = _ => http ?? new HttpClient(),
        Logs = NullLoggerFactory.Instance,
        SlackThreads = threads ?? new FileSlackThreadStore(null),
    };

    /// <summary>A configuration from ConfigMap data given as <c>key: value</c> pairs, over the catalog.</summary>
    public static NotificationConfig Parse(IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, string>? secrets = null, bool catalog = true, ServiceContext? services = null) =>
        NotificationConfigParser.Parse(
            new ConfigMapData("argocd-notifications-cm", "argocd", data, secrets ?? new Dictionary<string, string>()),
            ServiceTypes.BuiltIn(),
            services ?? Services(),
            catalog ? NotificationConfigParser.Catalog : null);

    /// <summary>An object from YAML.</summary>
    public static ObjectMap Object(string yaml) =>
        (ObjectMap)ObjectModel.FromJson(YamlDocuments.Parse(yaml, "test").Single().ToJsonString())!;

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);
}
