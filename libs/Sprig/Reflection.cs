using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's reflect.go: typeOf, typeIs, typeIsLike, kindOf, kindIs and deepEqual.</summary>
public static partial class SprigFunctions
{
    private static void AddReflection(Dictionary<string, GoFunction> m)
    {
        m["typeOf"] = Fn("typeOf", "any", a => GoFmt.TypeName(a[0]));
        m["typeIs"] = Fn("typeIs", "string any", a => (string)a[0]! == GoFmt.TypeName(a[1]));
        m["typeIsLike"] = Fn("typeIsLike", "string any", a => (string)a[0]! == GoFmt.TypeName(a[1]) || "*" + (string)a[0]! == GoFmt.TypeName(a[1]));
        m["kindOf"] = Fn("kindOf", "any", a => KindOf(a[0]));
        m["kindIs"] = Fn("kindIs", "string any", a => (string)a[0]! == KindOf(a[1]));
        m["deepEqual"] = Fn("deepEqual", "any any", a => DeepEqual(a[0], a[1]));
    }

    internal static string KindOf(object? v) => v switch
    {
        null => "invalid",
        string => "string",
        bool => "bool",
        long => "int64",
        int or nint => "int",
        double => "float64",
        byte => "uint8",
        float => "float32",
        short => "int16",
        sbyte => "int8",
        ushort => "uint16",
        uint => "uint32",
        ulong => "uint64",
        SemVersion => "ptr",
        IDictionary<string, object?> => "map",
        IList<object?> => "slice",
        GoFunction => "func",
        Lookout.Values.Time.GoDuration => "int64",
        _ => "struct",
    };

    internal static bool DeepEqual(object? x, object? y, int depth = 0)
    {
        EvaluationBudget.Visit(depth, "deepEqual");
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        return (x, y) switch
        {
            (IDictionary<string, object?>, not IDictionary<string, object?>) or (IList<object?>, not IList<object?>) => false,
            (IDictionary<string, object?> a, IDictionary<string, object?> b) => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out object? other) && DeepEqual(kv.Value, other, depth + 1)),
            (IList<object?> a, IList<object?> b) => a.Count == b.Count && GoTypes.Name(a) == GoTypes.Name(b) && a.Zip(b).All(p => DeepEqual(p.First, p.Second, depth + 1)),
            _ => x.GetType() == y.GetType() && x.Equals(y),
        };
    }
}
