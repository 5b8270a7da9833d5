using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lookout.Expr;
using Lookout.Notifications.Services;
using Lookout.Notifications.Subscriptions;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;
using Lookout.Templates;
using Lookout.Values.Yaml;

namespace Lookout.Notifications.Configuration;

/// <summary>
/// Reads the keys notifications-engine reads (<c>service.&lt;type&gt;[.&lt;name&gt;]</c>, <c>template.&lt;name&gt;</c>,
/// <c>trigger.&lt;name&gt;</c>, <c>subscriptions</c>, <c>defaultTriggers[.&lt;service&gt;]</c>) and Argo CD's
/// <c>context</c>, replacing <c>$key</c> references in service settings with the Secret's values. Unlike upstream,
/// which rejects the whole configuration at the first bad entry, a bad entry is reported and only it is disabled.
/// </summary>
public static partial class NotificationConfigParser
{
    /// <summary>The data of Argo CD's catalog (its <c>notifications_catalog/install.yaml</c>), built in.</summary>
    public static IReadOnlyDictionary<string, string> Catalog { get; } = LoadCatalog("argocd-notifications-catalog.yaml");

    /// <summary>
    /// Argo Rollouts' built-in triggers and templates (<c>on-rollout-completed</c>…, written from argo-rollouts'
    /// <c>manifests/notifications</c>), under argo-rollouts-notification-configmap.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RolloutsCatalog { get; } = LoadCatalog("argo-rollouts-notification-catalog.yaml");

    /// <summary>Parses a configuration.</summary>
    /// <param name="data">The ConfigMap and Secret.</param>
    /// <param name="serviceTypes">The known service types.</param>
    /// <param name="services">What services are built with.</param>
    /// <param name="builtIn">Entries under the ConfigMap's (the catalog); null for none.</param>
    public static NotificationConfig Parse(ConfigMapData data, ServiceTypes serviceTypes, ServiceContext services, IReadOnlyDictionary<string, string>? builtIn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(serviceTypes);
        var merged = new Dictionary<string, string>(builtIn ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach ((string key, string value) in data.Data)
        {
            merged[key] = value;
        }

        string source = data.Namespace.Length > 0 ? $"{data.Namespace}/{data.Name}" : data.Name;
        var problems = new List<ConfigProblem>();
        var templates = new Dictionary<string, NotificationTemplate>(StringComparer.Ordinal);
        var triggers = new Dictionary<string, CompiledCondition[]>(StringComparer.Ordinal);
        var definitions = new Dictionary<string, IReadOnlyList<Condition>>(StringComparer.Ordinal);
        var configured = new Dictionary<string, ConfigService>(StringComparer.Ordinal);
        var serviceDefaults = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        IReadOnlyList<string> defaultTriggers = [];
        IReadOnlyList<DefaultSubscription> subscriptions = [];
        IReadOnlyDictionary<string, string> context = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach ((string key, string value) in merged.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string where = $"{source} {key}";
            try
            {
                if (key.StartsWith("template.", StringComparison.Ordinal))
                {
                    string name = key["template.".Length..];
                    JsonObject definition = YamlObject(value, where) ?? [];
                    templates[name] = NotificationTemplate.Compile(name, definition, where);
                }
                else if (key.StartsWith("trigger.", StringComparison.Ordinal))
                {
                    string name = key["trigger.".Length..];
                    List<Condition> conditions = ParseConditions(value, where);
                    triggers[name] = TriggerEvaluator.Compile(name, conditions, where);
                    definitions[name] = conditions;
                }
                else if (key.StartsWith("service.", StringComparison.Ordinal))
                {
                    ConfigService service = ParseService(key, value, where, data.Secrets, serviceTypes, services, problems);
                    configured[service.Name] = service;
                }
                else if (key == "subscriptions")
                {
                    subscriptions = ParseSubscriptions(value, where);
                }
                else if (key == "defaultTriggers")
                {
                    defaultTriggers = StringList(value, where);
                }
                else if (key.StartsWith("defaultTriggers.", StringComparison.Ordinal))
                {
                    serviceDefaults[key["defaultTriggers.".Length..]] = StringList(value, where);
                }
                else if (key == "context")
                {
                    context = StringMap(value, where);
                }
            }
            catch (Exception ex) when (ex is FormatException or ExprException or TemplateException)
            {
                problems.Add(new ConfigProblem(key, ex.Message));
            }
        }

        foreach ((string name, IReadOnlyList<Condition> conditions) in definitions)
        {
            foreach (string template in conditions.SelectMany(c => c.Send).Distinct(StringComparer.Ordinal).Where(t => !templates.ContainsKey(t)))
            {
                problems.Add(new ConfigProblem($"trigger.{name}", $"sends template '{template}', which is not defined or was disabled", Disabled: false));
            }
        }

        return new NotificationConfig
        {
            Source = source,
            Namespace = data.Namespace,
            Services = configured,
            TriggerDefinitions = definitions,
            Triggers = TriggerEvaluator.Create(triggers),
            Templates = new NotificationFormatter(templates),
            Subscriptions = subscriptions,
            DefaultTriggers = defaultTriggers,
            ServiceDefaultTriggers = serviceDefaults,
            Context = context,
            Secrets = data.Secrets,
            Problems = problems,
        };
    }

    /// <summary>Replaces <c>$key</c> references in a text with the Secret's values (an unknown key stays as written).</summary>
    public static string ReplaceSecrets(string text, IReadOnlyDictionary<string, string> secrets, ICollection<string>? missing = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return SecretReference().Replace(text, m =>
        {
            if (secrets.TryGetValue(m.Value[1..], out string? value))
            {
                return value;
            }

            missing?.Add(m.Value[1..]);
            return m.Value;
        });
    }

    private static ConfigService ParseService(
        string key, string value, string where, IReadOnlyDictionary<string, string> secrets, ServiceTypes serviceTypes, ServiceContext services, List<ConfigProblem> problems)
    {
        string[] parts = key.Split('.');
        (string type, string name) = parts.Length switch
        {
            2 => (parts[1], parts[1]),
            3 => (parts[1], parts[2]),
            _ => throw new FormatException($"invalid service key; expected 'service.<type>(.<name>)' but got '{key}'"),
        };
        INotificationServiceType serviceType = serviceTypes.Find(type)
            ?? throw new FormatException($"service type '{type}' is not supported (known: {string.Join(", ", serviceTypes.Names.Order(StringComparer.Ordinal))})");
        JsonObject settings = YamlObject(value, where) ?? [];
        var missing = new List<string>();
        ReplaceSecretsIn(settings, secrets, missing);
        foreach (string secretKey in missing.Distinct(StringComparer.Ordinal))
        {
            problems.Add(new ConfigProblem(key, $"references '${secretKey}', which is not a key of the Secret", Disabled: false));
        }

        try
        {
            return new ConfigService(name, type, settings, serviceType.Create(settings, services));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}: {ex.Message}", ex);
        }
    }

    private static void ReplaceSecretsIn(JsonNode node, IReadOnlyDictionary<string, string> secrets, List<string> missing)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string k, JsonNode? child) in obj.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue(out string? s))
                    {
                        obj[k] = ReplaceSecrets(s, secrets, missing);
                    }
                    else if (child is not null)
                    {
                        ReplaceSecretsIn(child, secrets, missing);
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue(out string? s))
                    {
                        array[i] = ReplaceSecrets(s, secrets, missing);
                    }
                    else if (array[i] is { } child)
                    {
                        ReplaceSecretsIn(child, secrets, missing);
                    }
                }

                break;
            default:
                break;
        }
    }

    private static List<Condition> ParseConditions(string value, string where)
    {
        JsonNode? node = YamlNode(value, where);
        if (node is not JsonArray list)
        {
            throw new FormatException($"{where}: a trigger is a list of conditions ({{when, send, oncePer}})");
        }

        var conditions = new List<Condition>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject c)
            {
                throw new FormatException($"{where}: condition [{i}] is not a mapping");
            }

            conditions.Add(new Condition
            {
                When = Text(c, "when", where, i),
                OncePer = Text(c, "oncePer", where, i),
                Description = Text(c, "description", where, i),
                Send = Get(c, "send") switch
                {
                    null => [],
                    JsonArray send => send.Select(s => s is JsonValue v && v.TryGetValue(out string? t) ? t : throw new FormatException($"{where}: condition [{i}] send: template names must be strings")).ToList(),
                    _ => throw new FormatException($"{where}: condition [{i}] send must be a list of template names"),
                },
            });
        }

        return conditions;
    }

    private static string Text(JsonObject c, string field, string where, int index) => Get(c, field) switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => throw new FormatException($"{where}: condition [{index}] {field} must be a string"),
    };

    private static JsonNode? Get(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out JsonNode? exact) ? exact : obj.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static List<DefaultSubscription> ParseSubscriptions(string value, string where)
    {
        if (YamlNode(value, where) is not JsonArray list)
        {
            throw new FormatException($"{where}: subscriptions is a list of {{recipients, triggers, selector}}");
        }

        var result = new List<DefaultSubscription>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject s)
            {
                throw new FormatException($"{where}: subscription [{i}] is not a mapping");
            }

            string selector = Get(s, "selector") is JsonValue v && v.TryGetValue(out string? text) ? text : string.Empty;
            LabelSelector parsed;
            try
            {
                parsed = LabelSelector.Parse(selector);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{where}: subscription [{i}]: {ex.Message}", ex);
            }

            result.Add(new DefaultSubscription(Strings(Get(s, "recipients")), Strings(Get(s, "triggers")), parsed));
        }

        return result;
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(n => n?.ToString() ?? string.Empty).ToList() : [];

    private static List<string> StringList(string value, string where) => YamlNode(value, where) switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : throw new FormatException($"{where}: expected a list of trigger names")).ToList(),
        _ => throw new FormatException($"{where}: expected a list of trigger names"),
    };

    private static Dictionary<string, string> StringMap(string value, string where)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonObject obj = YamlObject(value, where) ?? [];
        foreach ((string k, JsonNode? v) in obj)
        {
            map[k] = v is JsonValue jv && jv.TryGetValue(out string? s) ? s : v?.ToJsonString() ?? string.Empty;
        }

        return map;
    }

    private static JsonObject? YamlObject(string value, string where) => YamlNode(value, where) switch
    {
        null => null,
        JsonObject o => o,
        _ => throw new FormatException($"{where}: expected a mapping"),
    };

    private static JsonNode? YamlNode(string value, string where)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlDocuments.Parse(value, where);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections.
            throw new FormatException($"{where}: invalid YAML: {ex.Message}", ex);
        }

        return documents.Count == 0 ? null : documents[0];
    }

    private static Dictionary<string, string> LoadCatalog(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the built-in catalog {name} is missing from the assembly");
        using var reader = new StreamReader(stream);
        ConfigMapData catalog = ConfigMapData.FromYaml(reader.ReadToEnd(), name);
        return new Dictionary<string, string>(catalog.Data, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\$[0-9A-Za-z_-]+")]
    private static partial Regex SecretReference();
}
