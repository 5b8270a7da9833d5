using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Notifications.Scope;
using Lookout.Sprig;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Templates.Tests;

/// <summary>Argo CD's own catalog renders here byte for byte as in Argo (expectations from Go + Sprig).</summary>
public sealed class CatalogTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Catalog");

    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "catalog-expected.json"))).RootElement;

    private static readonly JsonObject CatalogData = (JsonObject)YamlDocuments.Parse(File.ReadAllText(Path.Combine(Folder, "argocd-notifications-catalog.yaml")), "argocd-notifications-catalog.yaml")
        .Single(d => (string?)d["kind"] == "ConfigMap")["data"]!;

    private static readonly TemplateOptions Options = new() { Functions = SprigFunctions.Create() };

    public static TheoryData<string> Templates() => [.. CatalogData.Select(kv => kv.Key).Where(k => k.StartsWith("template.", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(Templates))]
    public void EveryFieldOfTheTemplate_RendersAsInArgo_ForEachAppAndService(string templateKey)
    {
        JsonNode template = YamlDocuments.Parse((string)CatalogData[templateKey]!, templateKey).Single();
        var context = Expected.GetProperty("context").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        string recipient = Expected.GetProperty("recipient").GetString()!;
        var compiled = new Dictionary<string, GoTemplate>(StringComparer.Ordinal);
        int checkedFields = 0;
        foreach (JsonElement c in Expected.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("template").GetString() == templateKey))
        {
            string field = c.GetProperty("field").GetString()!;
            if (!compiled.TryGetValue(field, out GoTemplate? goTemplate))
            {
                JsonNode? node = template;
                foreach (string part in field.Split('.'))
                {
                    node = node![part];
                }

                goTemplate = GoTemplate.Parse(field, (string)node!, Options, source: $"argocd-notifications-cm {templateKey} {field}");
                compiled[field] = goTemplate;
            }

            object? app = ObjectModel.FromJsonElement(Expected.GetProperty("apps").GetProperty(c.GetProperty("app").GetString()!));
            ObjectMap scope = NotificationScope.ForTemplate(app, context, c.GetProperty("service").GetString()!, recipient);
            Assert.True(
                c.GetProperty("expect").GetString() == goTemplate.Execute(scope),
                $"{templateKey} {field} for {c.GetProperty("app").GetString()} via {c.GetProperty("service").GetString()} differs:\n{goTemplate.Execute(scope)}");
            checkedFields++;
        }

        Assert.True(checkedFields > 0, $"no expectations for {templateKey}");
    }
}
