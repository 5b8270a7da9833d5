using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's list.go.</summary>
public static partial class SprigFunctions
{
    private static void AddLists(Dictionary<string, GoFunction> m)
    {
        m["list"] = m["tuple"] = Fn("list", "...any", a => a.ToList());
        foreach (string prefix in new[] { string.Empty, "must" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("push")] = m[P("append")] = Fn(P("push"), "any any", a => new List<object?>(AsList(a[0], "push")) { a[1] });
            m[P("prepend")] = Fn(P("prepend"), "any any", a => new List<object?> { a[1] }.Concat(AsList(a[0], "prepend")).ToList());
            m[P("first")] = Fn(P("first"), "any", a => AsList(a[0], "find first") is { Count: > 0 } l ? l[0] : null);
            m[P("last")] = Fn(P("last"), "any", a => AsList(a[0], "find last") is { Count: > 0 } l ? l[^1] : null);
            m[P("rest")] = Fn(P("rest"), "any", a => AsList(a[0], "find rest").Skip(1).ToList());
            m[P("initial")] = Fn(P("initial"), "any", a => AsList(a[0], "find initial") is { Count: > 0 } l ? l.Take(l.Count - 1).ToList() : new List<object?>());
            m[P("reverse")] = Fn(P("reverse"), "any", a => AsList(a[0], "find reverse").Reverse().ToList());
            m[P("uniq")] = Fn(P("uniq"), "any", a => Uniq(AsList(a[0], "find uniq")));
            m[P("without")] = Fn(P("without"), "any ...any", a => AsList(a[0], "find without").Where(x => !a.Skip(1).Any(o => DeepEqual(o, x))).ToList());
            m[P("has")] = Fn(P("has"), "any any", a => a[1] is not null && AsList(a[1], "find has").Any(x => DeepEqual(x, a[0])));
            m[P("slice")] = Fn(P("slice"), "any ...any", a => SliceList(AsList(a[0], "slice"), a[1..]));
            m[P("chunk")] = Fn(P("chunk"), "int any", a => Chunk((int)a[0]!, AsList(a[1], "chunk")));
        }

        m["concat"] = Fn("concat", "...any", a => a.SelectMany(x => AsList(x, "concat as list")).ToList());
    }

    private static List<object?> Uniq(IList<object?> list)
    {
        var result = new List<object?>();
        foreach (object? x in list)
        {
            if (!result.Any(r => DeepEqual(r, x)))
            {
                result.Add(x);
            }
        }

        return result;
    }

    // Sprig's slice: nil for an empty list, else list[start:end] (reflect panics when out of range).
    private static List<object?>? SliceList(IList<object?> list, object?[] indices)
    {
        if (list.Count == 0)
        {
            return null;
        }

        int start = indices.Length > 0 ? ToInt(indices[0]) : 0;
        int end = indices.Length > 1 ? ToInt(indices[1]) : list.Count;
        if (start < 0 || end > list.Count || start > end)
        {
            throw new GoFunctionException($"reflect: slice index out of range");
        }

        return list.Skip(start).Take(end - start).ToList();
    }

    private static List<object?> Chunk(int size, IList<object?> list)
    {
        if (size <= 0)
        {
            throw new GoFunctionException("runtime error: integer divide by zero");
        }

        var result = new GoTypedList("[]interface {}");
        for (int i = 0; i < list.Count; i += size)
        {
            result.Add(list.Skip(i).Take(size).ToList());
        }

        return result;
    }

    internal static IList<object?> AsList(object? v, string function) => v switch
    {
        IList<object?> list => list,
        IList<string> strings => [.. strings.Cast<object?>()],
        _ => throw new GoFunctionException($"Cannot {function} on type {GoFmt.TypeName(v)}"),
    };
}
