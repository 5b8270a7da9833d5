using System.Text.Json;
using Lookout.Notifications.Scope;
using Lookout.Sprig;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Lang;

/// <summary>
/// <c>lookout-lang template render</c> (also <c>notifier template render</c>): reads JSON lines <c>{"template", "data", "missingkey"?, "sprig"?, "argo"?}</c> and
/// writes one line per case, <c>{"ok": "text"}</c> or <c>{"err": "message"}</c> (the protocol of the conformance files,
/// which are plain Go text/template). <c>"sprig": true</c> adds Sprig's functions; <c>"argo": true</c> renders as
/// Argo CD does: Sprig, plus the <c>time</c>, <c>strings</c>, <c>repo</c> and <c>sync</c> helpers in <c>data</c>.
/// </summary>
public static class TemplateRenderCommand
{
    private static readonly IReadOnlyDictionary<string, GoFunction> Functions = SprigFunctions.Create();
    private static readonly IReadOnlyDictionary<string, GoFunction> NoFunctions = new Dictionary<string, GoFunction>(StringComparer.Ordinal);

    /// <summary>Runs until the input ends; returns 0, or 2 when a line is not a valid case.</summary>
    public static Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken) =>
        JsonLines.RunAsync(input, output, (line, number) => Render(line, number), cancellationToken);

    /// <summary>Renders one case line and returns the result line.</summary>
    public static string Render(string line, int lineNumber = 1)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("template", out JsonElement templateElement) || templateElement.ValueKind != JsonValueKind.String)
        {
            return JsonLines.Error($"line {lineNumber}: \"template\" (a string) is required");
        }

        object? data = root.TryGetProperty("data", out JsonElement dataElement) ? ObjectModel.FromJsonElement(dataElement) : null;
        bool argoMode = root.TryGetProperty("argo", out JsonElement argo) && argo.ValueKind == JsonValueKind.True;
        bool sprig = argoMode || (root.TryGetProperty("sprig", out JsonElement sprigFlag) && sprigFlag.ValueKind == JsonValueKind.True);
        if (argoMode)
        {
            var vars = data as ObjectMap ?? new ObjectMap();
            data = ArgoHelpers.Spawn(vars, vars.GetValueOrDefault("app"));
        }

        try
        {
            string? missingKey = root.TryGetProperty("missingkey", out JsonElement mk) && mk.ValueKind == JsonValueKind.String ? mk.GetString() : null;
            var options = new TemplateOptions { MissingKey = TemplateOptions.ParseMissingKey(missingKey), Functions = sprig ? Functions : NoFunctions };
            GoTemplate template = GoTemplate.Parse("t", templateElement.GetString()!, options);
            return JsonLines.OkText(template.Execute(data));
        }
        catch (TemplateException ex)
        {
            return JsonLines.Error(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return JsonLines.Error(ex.Message);
        }
    }
}
