using System.Text.Json;
using System.Text.Json.Nodes;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests.Rendering;

/// <summary>
/// The functions Helm's engine adds to Sprig's (helm pkg/engine/funcs.go and engine.go), with Helm's semantics:
/// the non-<c>must</c> converters swallow errors (an empty string, or the error under an <c>Error</c> key), <c>required</c>
/// fails on nil and on the empty string only, <c>lookup</c> finds nothing (as under <c>helm template</c>).
/// <c>include</c> and <c>tpl</c> close over a render and are bound by <see cref="ChartRenderer"/>.
/// </summary>
internal static class HelmFunctions
{
    public static IEnumerable<GoFunction> All() =>
    [
        new("toYaml", 1, 1, a => Swallow(() => GoYaml.Marshal(a[0]))),
        new("mustToYaml", 1, 1, a => GoYaml.Marshal(a[0])),
        new("toYamlPretty", 1, 1, a => Swallow(() => GoYaml.Marshal(a[0]))),
        new("fromYaml", 1, 1, a => FromYaml(Text(a[0]), asArray: false)),
        new("fromYamlArray", 1, 1, a => FromYaml(Text(a[0]), asArray: true)),
        new("toJson", 1, 1, a => Swallow(() => GoJson.Marshal(a[0], indent: false))),
        new("mustToJson", 1, 1, a => GoJson.Marshal(a[0], indent: false)),
        new("fromJson", 1, 1, a => FromJson(Text(a[0]), asArray: false)),
        new("fromJsonArray", 1, 1, a => FromJson(Text(a[0]), asArray: true)),
        new("required", 2, 2, a => a[1] is null or "" ? throw new GoFunctionException(Text(a[0])) : a[1]),
        new("fail", 1, 1, a => throw new GoFunctionException(Text(a[0]))),
        new("lookup", 4, 4, _ => new ObjectMap()),
        new("getHostByName", 1, 1, _ => string.Empty),
    ];

    private static string Text(object? arg) => arg as string ?? throw new GoFunctionException($"wrong type for value; expected string; got {GoFmt.TypeName(arg)}");

    private static string Swallow(Func<string> marshal)
    {
        try
        {
            return marshal();
        }
        catch (GoFunctionException)
        {
            return string.Empty;
        }
    }

    // sigs.k8s.io/yaml reads YAML through JSON, so numbers arrive as float64, as they do in .Values.
    private static object? FromYaml(string text, bool asArray)
    {
        try
        {
            IReadOnlyList<JsonNode> documents = YamlDocuments.Parse(text, "fromYaml");
            JsonNode? node = documents.Count > 0 ? documents[0] : null;
            object? value = node is null ? null : GoJson.Unmarshal(node.ToJsonString());
            return asArray
                ? value as List<object?> ?? (value is null ? [] : throw new FormatException("cannot unmarshal into a list"))
                : value as ObjectMap ?? (value is null ? new ObjectMap() : throw new FormatException("cannot unmarshal into a map"));
        }
        catch (FormatException ex)
        {
            return asArray ? new List<object?> { ex.Message } : new ObjectMap { ["Error"] = ex.Message };
        }
    }

    private static object? FromJson(string text, bool asArray)
    {
        try
        {
            object? value = GoJson.Unmarshal(text);
            return asArray
                ? value as List<object?> ?? throw new JsonException("json: cannot unmarshal into Go value of type []interface {}")
                : value as ObjectMap ?? throw new JsonException("json: cannot unmarshal into Go value of type map[string]interface {}");
        }
        catch (JsonException ex)
        {
            return asArray ? new List<object?> { ex.Message } : new ObjectMap { ["Error"] = ex.Message };
        }
    }
}
