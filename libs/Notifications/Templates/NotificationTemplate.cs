using System.Text.Json.Nodes;
using Lookout.Sprig;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Notifications.Templates;

/// <summary>
/// One <c>template.&lt;name&gt;</c>: its <c>message</c> and every string of its service sections compiled as Go
/// templates with Sprig (without <c>env</c>, as notifications-engine). Non-string fields (<c>notifyBroadcast</c>)
/// are copied as they are.
/// </summary>
public sealed class NotificationTemplate
{
    private static readonly TemplateOptions Options = new() { Functions = SprigFunctions.Create() };

    private readonly GoTemplate message;
    private readonly Dictionary<string, Field> fields;

    private NotificationTemplate(string name, GoTemplate message, Dictionary<string, Field> fields)
    {
        Name = name;
        this.message = message;
        this.fields = fields;
    }

    /// <summary>The template's name.</summary>
    public string Name { get; }

    /// <summary>Compiles a template given as the JSON form of its YAML.</summary>
    /// <exception cref="TemplateException">A field does not parse; the message names the source, field and position.</exception>
    public static NotificationTemplate Compile(string name, JsonObject definition, string source)
    {
        ArgumentNullException.ThrowIfNull(definition);
        string messageText = definition["message"] is JsonValue m && m.TryGetValue(out string? s) ? s : string.Empty;
        GoTemplate message = GoTemplate.Parse(name, messageText, Options, source: $"{source} message");
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach ((string section, JsonNode? value) in definition)
        {
            if (section != "message" && value is not null)
            {
                fields[section] = CompileNode(name, value, $"{source} {section}");
            }
        }

        return new NotificationTemplate(name, message, fields);
    }

    /// <summary>Renders into <paramref name="into"/>; non-empty results replace what an earlier template wrote.</summary>
    public void Render(Notification into, IReadOnlyDictionary<string, object?> vars)
    {
        ArgumentNullException.ThrowIfNull(into);
        string text = message.Execute(vars);
        if (text.Length > 0)
        {
            into.Message = text;
        }

        foreach ((string section, Field field) in fields)
        {
            JsonNode? rendered = field.Render(vars);
            if (rendered is JsonObject renderedObject && into.Sections[section] is JsonObject existing)
            {
                Merge(existing, renderedObject);
            }
            else if (rendered is not null)
            {
                into.Sections[section] = rendered;
            }
        }
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach ((string key, JsonNode? value) in source.ToList())
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else if (value is not JsonValue v || !v.TryGetValue(out string? s) || s.Length > 0 || target[key] is null)
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static Field CompileNode(string name, JsonNode node, string source)
    {
        switch (node)
        {
            case JsonObject obj:
                var children = obj.Select(kv => (kv.Key, Field: kv.Value is null ? new Field.Literal(null) : CompileNode(name, kv.Value, $"{source}.{kv.Key}"))).ToList();
                return new Field.Map(children);
            case JsonArray array:
                return new Field.List(array.Select((item, i) => item is null ? new Field.Literal(null) : CompileNode(name, item, $"{source}[{i}]")).ToList());
            case JsonValue value when value.TryGetValue(out string? text):
                return new Field.Text(GoTemplate.Parse(name, text, Options, source: source));
            default:
                return new Field.Literal(node.DeepClone());
        }
    }

    private abstract record Field
    {
        public abstract JsonNode? Render(IReadOnlyDictionary<string, object?> vars);

        public sealed record Text(GoTemplate Template) : Field
        {
            public override JsonNode? Render(IReadOnlyDictionary<string, object?> vars) => JsonValue.Create(Template.Execute(vars));
        }

        public sealed record Literal(JsonNode? Value) : Field
        {
            public override JsonNode? Render(IReadOnlyDictionary<string, object?> vars) => Value?.DeepClone();
        }

        public sealed record Map(List<(string Key, Field Field)> Children) : Field
        {
            public override JsonNode? Render(IReadOnlyDictionary<string, object?> vars)
            {
                var obj = new JsonObject();
                foreach ((string key, Field field) in Children)
                {
                    obj[key] = field.Render(vars);
                }

                return obj;
            }
        }

        public sealed record List(List<Field> Items) : Field
        {
            public override JsonNode? Render(IReadOnlyDictionary<string, object?> vars) => new JsonArray([.. Items.Select(i => i.Render(vars))]);
        }
    }
}

/// <summary>The configured templates.</summary>
public sealed class NotificationFormatter(IReadOnlyDictionary<string, NotificationTemplate> compiled) : INotificationFormatter
{
    /// <summary>The template names.</summary>
    public IReadOnlyCollection<string> TemplateNames => compiled.Keys.ToList();

    /// <inheritdoc/>
    public Notification Format(IReadOnlyDictionary<string, object?> vars, IReadOnlyList<string> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var notification = new Notification();
        foreach (string name in templates)
        {
            if (!compiled.TryGetValue(name, out NotificationTemplate? template))
            {
                throw new NotificationTemplateException($"template '{name}' is not supported");
            }

            try
            {
                template.Render(notification, vars);
            }
            catch (Exception ex) when (ex is TemplateException or GoFunctionException)
            {
                throw new NotificationTemplateException($"template '{name}': {ex.Message}", ex);
            }
        }

        return notification;
    }
}
