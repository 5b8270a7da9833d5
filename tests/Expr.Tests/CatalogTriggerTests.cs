using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Notifications.Scope;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Expr.Tests;

/// <summary>
/// Argo CD's own catalog: every <c>when</c> and <c>oncePer</c> of every trigger, compiled untyped as
/// notifications-engine compiles them, evaluates on fifteen Applications (with and without operationState,
/// multi-source, being deleted, degraded, no status at all…) exactly as expr-lang v1.17.8 does with Argo CD's helpers.
/// </summary>
public sealed class CatalogTriggerTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Data");

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "catalog-triggers-expected.json"))).RootElement;

    private static readonly JsonObject CatalogData = (JsonObject)YamlDocuments
        .Parse(File.ReadAllText(Path.Combine(Folder, "argocd-notifications-catalog.yaml")), "argocd-notifications-catalog.yaml")
        .Single()["data"]!;

    public static TheoryData<string> Triggers() => [.. CatalogData.Select(kv => kv.Key).Where(k => k.StartsWith("trigger.", StringComparison.Ordinal))];

    [Fact]
    public void EveryTriggerOfTheCatalog_HasExpectations() =>
        Assert.Equal(8, Triggers().Count);

    [Theory]
    [MemberData(nameof(Triggers))]
    public void TriggerConditions_EvaluateAsInArgo(string triggerKey)
    {
        JsonArray conditions = (JsonArray)YamlDocuments.Parse((string)CatalogData[triggerKey]!, triggerKey).Single();
        var checkedCases = 0;
        var failures = new List<string>();
        foreach (JsonElement row in Expected.GetProperty("cases").EnumerateArray().Where(r => r.GetProperty("trigger").GetString() == triggerKey))
        {
            int index = row.GetProperty("index").GetInt32();
            string field = row.GetProperty("field").GetString()!;
            string appName = row.GetProperty("app").GetString()!;
            string expression = (string)conditions[index]![field]!;
            var program = ExprProgram.Compile(expression, new ExprOptions { Source = $"argocd-notifications-cm {triggerKey}[{index}].{field}" });
            object? app = ObjectModel.FromJsonElement(Expected.GetProperty("apps").GetProperty(appName));
            ObjectMap env = NotificationScope.ForTrigger(app);
            string ours;
            try
            {
                ours = ObjectModel.ToJson(program.Run(env));
            }
            catch (ExprException ex)
            {
                ours = "error: " + ex.Reason;
            }

            JsonElement expect = row.GetProperty("expect");
            string wanted = expect.TryGetProperty("ok", out JsonElement ok) ? ok.GetRawText() : "error";
            bool agrees = wanted == "error" ? ours.StartsWith("error", StringComparison.Ordinal) : JsonDocument.Parse(ours).RootElement.GetRawText() == JsonDocument.Parse(wanted).RootElement.GetRawText();
            if (!agrees)
            {
                failures.Add($"{field} on {appName}: expected {wanted}, got {ours}");
            }

            checkedCases++;
        }

        Assert.True(checkedCases >= 15, $"only {checkedCases} cases for {triggerKey}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
