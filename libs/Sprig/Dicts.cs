using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's dict.go (mergo for merge).</summary>
public static partial class SprigFunctions
{
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
            var d = a[0] as IDictionary<string, object?> ?? throw new GoFunctionException("assignment to entry in nil map");
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
        m["keys"] = Fn("keys", "...map", a => ToList(a.Select(Map).SelectMany(d => d.Keys).Order(StringComparer.Ordinal)));
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

        m["dig"] = Fn("dig", "...any", a => Dig(a));
    }

    // Sprig's dig: every key must be a string and every step a map (Go's type assertions panic otherwise).
    private static object? Dig(object?[] a)
    {
        if (a.Length < 3)
        {
            throw new GoFunctionException("dig needs at least three arguments");
        }

        IDictionary<string, object?> dict = a[^1] as IDictionary<string, object?> ?? throw NotAMap(a[^1]);
        string[] keys = [.. a[..^2].Select(k => k as string ?? throw new GoFunctionException($"interface conversion: interface {{}} is {(k is null ? "nil" : GoFmt.TypeName(k))}, not string"))];
        for (int i = 0; ; i++)
        {
            if (!dict.TryGetValue(keys[i], out object? step))
            {
                return a[^2];
            }

            if (i == keys.Length - 1)
            {
                return step;
            }

            dict = step as IDictionary<string, object?> ?? throw NotAMap(step);
        }
    }

    private static GoFunctionException NotAMap(object? v) =>
        new($"interface conversion: interface {{}} is {(v is null ? "nil" : GoFmt.TypeName(v))}, not map[string]interface {{}}");

    private static IDictionary<string, object?> Map(object? v) =>
        v as IDictionary<string, object?> ?? new ObjectMap();

    // mergo v1's map merge, as Sprig calls it: a nil in src is skipped (set when overwriting); maps merge in
    // place; a key is filled when dst lacks it, holds an empty value, or when overwriting.
    private static void Merge(IDictionary<string, object?> dst, IDictionary<string, object?> src, bool overwrite, int depth = 0)
    {
        EvaluationBudget.Visit(depth, "merge");
        foreach ((string key, object? srcValue) in src.ToArray())
        {
            bool dstValid = dst.TryGetValue(key, out object? dstValue);
            if (srcValue is null)
            {
                if (overwrite)
                {
                    dst[key] = null;
                }

                continue;
            }

            if (srcValue is IDictionary<string, object?> srcMap && dstValue is IDictionary<string, object?> dstMap)
            {
                Merge(dstMap, srcMap, overwrite, depth + 1);
            }
            else if (srcValue is IList<object?>)
            {
                object? dstSlice = dstValid && dstValue is not null ? dstValue : new List<object?>();
                dst[key] = overwrite || dst.Count == 0 ? srcValue : dstSlice;
            }

            if (dstValid && !Empty(dstValue) && (srcValue is IList<object?> || (srcValue is IDictionary<string, object?> && dstValue is IDictionary<string, object?>)))
            {
                continue;
            }

            if (overwrite || !dstValid || Empty(dstValue))
            {
                dst[key] = srcValue;
            }
        }
    }
}
