using System.Globalization;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's string-slice functions: split, splitList, splitn, join, sortAlpha, toStrings.</summary>
public static partial class SprigFunctions
{
    private static void AddStringSlices(Dictionary<string, GoFunction> m)
    {
        m["split"] = Fn("split", "string string", a => SplitMap(SplitN((string)a[1]!, (string)a[0]!, -1)));
        m["splitList"] = Fn("splitList", "string string", a => ToList(SplitN((string)a[1]!, (string)a[0]!, -1)));
        m["splitn"] = Fn("splitn", "string int string", a => SplitMap(SplitN((string)a[2]!, (string)a[0]!, (int)a[1]!)));
        m["join"] = Fn("join", "string any", a => string.Join((string)a[0]!, StrSlice(a[1])));
        m["sortAlpha"] = Fn("sortAlpha", "any", a => a[0] is IList<object?> or IList<string> ? ToList([.. StrSlice(a[0]).Order(StringComparer.Ordinal)]) : ToList([Strval(a[0])]));
        m["toStrings"] = Fn("toStrings", "any", a => ToList([.. StrSlice(a[0])]));
    }

    /// <summary>A Go <c>[]string</c>.</summary>
    internal static List<object?> ToList(IEnumerable<string> items) => new GoTypedList("string", items);

    private static ObjectMap SplitMap(string[] parts)
    {
        var map = new ObjectMap();
        for (int i = 0; i < parts.Length; i++)
        {
            map["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        }

        return map;
    }

    // strings.SplitN: n == 0 gives nothing, n < 0 every part; an empty separator splits after each rune.
    private static string[] SplitN(string s, string sep, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (sep.Length == 0)
        {
            string[] runes = [.. s.EnumerateRunes().Select(r => r.ToString())];
            if (n < 0 || n >= runes.Length)
            {
                return runes;
            }

            var rest = new StringBuilder();
            foreach (string r in runes.Skip(n - 1))
            {
                rest.Append(r);
            }

            return [.. runes.Take(n - 1), rest.ToString()];
        }

        return n < 0 ? s.Split(sep) : s.Split(sep, n);
    }

    /// <summary>Sprig's <c>strslice</c>: a list's elements as strings (nil elements dropped), or the value alone.</summary>
    internal static List<string> StrSlice(object? v) => v switch
    {
        IList<string> strings => [.. strings],
        IList<object?> list => [.. list.Where(x => x is not null).Select(Strval)],
        null => [],
        _ => [Strval(v)],
    };
}
