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
    private static void Merge(IDictionary<string, object?> dst, IDictionary<string, object?> src, bool overwrite, int depth = 0)
    {
        EvaluationBudget.Visit(depth, "merge");
        foreach ((string key, object? value) in src)
        {
            if (dst.TryGetValue(key, out object? existing) && existing is IDictionary<string, object?> dm && value is IDictionary<string, object?> sm)
            {
                Merge(dm, sm, overwrite, depth + 1);
            }
            else if (!dst.TryGetValue(key, out existing) || Empty(existing) || (overwrite && !Empty(value)))
            {
                dst[key] = DeepCopy(value);
            }
        }
    }
}
