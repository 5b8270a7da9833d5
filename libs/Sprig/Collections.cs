using System.Globalization;
using System.Text;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Sprig;

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

    internal static object? DeepCopy(object? v) => v switch
    {
        IDictionary<string, object?> map => map.ToObjectMap(kv => kv.Key, kv => DeepCopy(kv.Value)),
        IList<object?> list => list.Select(DeepCopy).ToList(),
        _ => v,
    };

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
            m[P("rest")] = Fn(P("rest"), "any", a => AsList(a[0], "find rest") is { Count: > 0 } l ? l.Skip(1).ToList() : null);
            m[P("initial")] = Fn(P("initial"), "any", a => AsList(a[0], "find initial") is { Count: > 0 } l ? l.Take(l.Count - 1).ToList() : null);
            m[P("reverse")] = Fn(P("reverse"), "any", a => AsList(a[0], "find reverse").Reverse().ToList());
            m[P("uniq")] = Fn(P("uniq"), "any", a => Uniq(AsList(a[0], "find uniq")));
            m[P("without")] = Fn(P("without"), "any ...any", a => AsList(a[0], "find without").Where(x => !a.Skip(1).Any(o => DeepEqual(o, x))).ToList());
            m[P("has")] = Fn(P("has"), "any any", a => a[1] is not null && AsList(a[1], "find has").Any(x => DeepEqual(x, a[0])));
            m[P("slice")] = Fn(P("slice"), "any ...any", a => SliceList(AsList(a[0], "slice"), a[1..]));
            m[P("chunk")] = Fn(P("chunk"), "int any", a => Chunk((int)a[0]!, AsList(a[1], "chunk")));
        }

        m["concat"] = Fn("concat", "...any", a => a.SelectMany(x => AsList(x, "concat")).ToList());
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

    private static List<object?> SliceList(IList<object?> list, object?[] indices)
    {
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

        var result = new List<object?>();
        for (int i = 0; i < list.Count; i += size)
        {
            result.Add(list.Skip(i).Take(size).ToList());
        }

        return result;
    }

    private static void AddDicts(Dictionary<string, GoFunction> m)
    {
        m["dict"] = Fn("dict", "...any", a =>
        {
            var d = new ObjectMap();
            for (int i = 0; i < a.Length; i += 2)
            {
                d[Strval(a[i])] = i + 1 < a.Length ? a[i + 1] : string.Empty;
            }

            return d;
        });
        m["get"] = Fn("get", "map string", a => Map(a[0]).TryGetValue((string)a[1]!, out object? v) ? v : string.Empty);
        m["set"] = Fn("set", "map string any", a =>
        {
            IDictionary<string, object?> d = Map(a[0]);
            d[(string)a[1]!] = a[2];
            return d;
        });
        m["unset"] = Fn("unset", "map string", a =>
        {
            IDictionary<string, object?> d = Map(a[0]);
            d.Remove((string)a[1]!);
            return d;
        });
        m["hasKey"] = Fn("hasKey", "map string", a => Map(a[0]).ContainsKey((string)a[1]!));
        m["pluck"] = Fn("pluck", "string ...map", a => a.Skip(1).Select(Map).Where(d => d.ContainsKey((string)a[0]!)).Select(d => d[(string)a[0]!]).ToList());
        m["keys"] = Fn("keys", "...map", a => a.Select(Map).SelectMany(d => d.Keys).Order(StringComparer.Ordinal).Cast<object?>().ToList());
        m["values"] = Fn("values", "map", a => Map(a[0]).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList());
        m["pick"] = Fn("pick", "map ...string", a =>
        {
            IDictionary<string, object?> d = Map(a[0]);
            return a.Skip(1).Cast<string>().Where(d.ContainsKey).Distinct().ToObjectMap(k => k, k => d[k]);
        });
        m["omit"] = Fn("omit", "map ...string", a =>
        {
            var drop = a.Skip(1).Cast<string>().ToHashSet(StringComparer.Ordinal);
            return Map(a[0]).Where(kv => !drop.Contains(kv.Key)).ToObjectMap(kv => kv.Key, kv => kv.Value);
        });
        foreach ((string name, bool overwrite) in new[] { ("merge", false), ("mustMerge", false), ("mergeOverwrite", true), ("mustMergeOverwrite", true) })
        {
            m[name] = Fn(name, "map ...map", a =>
            {
                IDictionary<string, object?> dst = Map(a[0]);
                foreach (object? src in a.Skip(1))
                {
                    Merge(dst, Map(src), overwrite);
                }

                return dst;
            });
        }

        m["dig"] = Fn("dig", "...any", a =>
        {
            if (a.Length < 3)
            {
                throw new GoFunctionException("dig needs at least three arguments");
            }

            object? current = a[^1] as IDictionary<string, object?> ?? throw new GoFunctionException($"interface conversion: interface {{}} is {GoFmt.TypeName(a[^1])}, not map[string]interface {{}}");
            foreach (object? key in a.Take(a.Length - 2))
            {
                if (current is not IDictionary<string, object?> d || !d.TryGetValue(key as string ?? throw new GoFunctionException("interface conversion: key is not a string"), out current))
                {
                    return a[^2];
                }
            }

            return current;
        });
    }

    private static IDictionary<string, object?> Map(object? v) =>
        v as IDictionary<string, object?> ?? new ObjectMap();

    // mergo: fill what dst lacks (or, overwriting, what src has), recursing into maps.
    private static void Merge(IDictionary<string, object?> dst, IDictionary<string, object?> src, bool overwrite)
    {
        foreach ((string key, object? value) in src)
        {
            if (dst.TryGetValue(key, out object? existing) && existing is IDictionary<string, object?> dm && value is IDictionary<string, object?> sm)
            {
                Merge(dm, sm, overwrite);
            }
            else if (!dst.TryGetValue(key, out existing) || Empty(existing) || (overwrite && !Empty(value)))
            {
                dst[key] = DeepCopy(value);
            }
        }
    }

    private static void AddPaths(Dictionary<string, GoFunction> m)
    {
        foreach (string prefix in new[] { string.Empty, "os" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("base")] = Fn(P("base"), "string", a => PathBase((string)a[0]!));
            m[P("dir")] = Fn(P("dir"), "string", a => PathDir((string)a[0]!));
            m[P("clean")] = Fn(P("clean"), "string", a => PathClean((string)a[0]!));
            m[P("ext")] = Fn(P("ext"), "string", a => PathExt((string)a[0]!));
            m[P("isAbs")] = Fn(P("isAbs"), "string", a => ((string)a[0]!).StartsWith('/'));
        }
    }

    private static string PathBase(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        p = p.TrimEnd('/');
        if (p.Length == 0)
        {
            return "/";
        }

        int i = p.LastIndexOf('/');
        return i >= 0 ? p[(i + 1)..] : p;
    }

    private static string PathExt(string p)
    {
        for (int i = p.Length - 1; i >= 0 && p[i] != '/'; i--)
        {
            if (p[i] == '.')
            {
                return p[i..];
            }
        }

        return string.Empty;
    }

    private static string PathDir(string p)
    {
        int i = p.LastIndexOf('/');
        return PathClean(i >= 0 ? p[..(i + 1)] : string.Empty);
    }

    // path.Clean: lexical processing of ., .., and repeated slashes.
    private static string PathClean(string p)
    {
        if (p.Length == 0)
        {
            return ".";
        }

        bool rooted = p[0] == '/';
        var parts = new List<string>();
        foreach (string part in p.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add("..");
                }

                continue;
            }

            parts.Add(part);
        }

        string result = (rooted ? "/" : string.Empty) + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }
}
