using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's defaults.go: default, empty, coalesce, all, any, compact, ternary, JSON and deepCopy.</summary>
public static partial class SprigFunctions
{
    private static void AddDefaults(Dictionary<string, GoFunction> m)
    {
        m["default"] = Fn("default", "any ...any", a => a.Length < 2 || Empty(a[1]) ? a[0] : a[1]);
        m["empty"] = Fn("empty", "any", a => Empty(a[0]));
        m["coalesce"] = Fn("coalesce", "...any", a => a.FirstOrDefault(x => !Empty(x)));
        m["all"] = Fn("all", "...any", a => a.All(x => !Empty(x)));
        m["any"] = Fn("any", "...any", a => a.Any(x => !Empty(x)));
        m["compact"] = Fn("compact", "any", a => Compact(a[0]));
        m["mustCompact"] = Fn("mustCompact", "any", a => Compact(a[0]));
        m["ternary"] = Fn("ternary", "any any bool", a => (bool)a[2]! ? a[0] : a[1]);
        m["fromJson"] = Fn("fromJson", "string", a => FromJson((string)a[0]!, must: false));
        m["mustFromJson"] = Fn("mustFromJson", "string", a => FromJson((string)a[0]!, must: true));
        m["toJson"] = Fn("toJson", "any", a => ToJson(a[0], indent: false, escapeHtml: true, must: false));
        m["mustToJson"] = Fn("mustToJson", "any", a => ToJson(a[0], indent: false, escapeHtml: true, must: true));
        m["toPrettyJson"] = Fn("toPrettyJson", "any", a => ToJson(a[0], indent: true, escapeHtml: true, must: false));
        m["mustToPrettyJson"] = Fn("mustToPrettyJson", "any", a => ToJson(a[0], indent: true, escapeHtml: true, must: true));
        m["toRawJson"] = Fn("toRawJson", "any", a => ToJson(a[0], indent: false, escapeHtml: false, must: false));
        m["mustToRawJson"] = Fn("mustToRawJson", "any", a => ToJson(a[0], indent: false, escapeHtml: false, must: true));
        m["deepCopy"] = Fn("deepCopy", "any", a => DeepCopy(a[0]));
        m["mustDeepCopy"] = Fn("mustDeepCopy", "any", a => a[0] is null ? throw new GoFunctionException("copy: Copy: nil") : DeepCopy(a[0]));
    }

    private static List<object?> Compact(object? list) => [.. AsList(list, "compact").Where(x => !Empty(x))];

    private static object? FromJson(string text, bool must)
    {
        try
        {
            return GoJson.Unmarshal(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return must ? throw new GoFunctionException(ex.Message) : null;
        }
    }

    /// <summary>Go's <c>json.Marshal</c> (or <c>MarshalIndent</c> with two spaces) of an object-model value.</summary>
    internal static string ToJson(object? v, bool indent, bool escapeHtml, bool must)
    {
        try
        {
            return GoJson.Marshal(v, indent, escapeHtml);
        }
        catch (GoFunctionException)
        {
            if (must)
            {
                throw;
            }

            return string.Empty;
        }
    }

    internal static object? DeepCopy(object? v, int depth = 0) => v switch
    {
        IDictionary<string, object?> map => Budget.Deeper(map, depth, "deepCopy", map.Count).ToObjectMap(kv => kv.Key, kv => DeepCopy(kv.Value, depth + 1)),
        GoTypedList typed => new GoTypedList(typed.ElementType, Budget.Deeper(typed, depth, "deepCopy", typed.Count).Select(x => DeepCopy(x, depth + 1))),
        IList<object?> list => Budget.Deeper(list, depth, "deepCopy", list.Count).Select(x => DeepCopy(x, depth + 1)).ToList(),
        _ => v,
    };

    /// <summary>Sprig's <c>empty</c>: nil, zero, false, and empty strings, lists and maps.</summary>
    internal static bool Empty(object? v) => v switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        int i => i == 0,
        nint n => n == 0,
        short s => s == 0,
        sbyte s => s == 0,
        byte b => b == 0,
        ushort u => u == 0,
        uint u => u == 0,
        ulong u => u == 0,
        double d => d == 0,
        float f => f == 0,
        ICollection<KeyValuePair<string, object?>> m => m.Count == 0,
        IList<object?> list => list.Count == 0,
        IList<string> list => list.Count == 0,
        _ => false,
    };
}
