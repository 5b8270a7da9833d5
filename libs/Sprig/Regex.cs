using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's regex.go, on <see cref="GoRegex"/> (Go's regexp, shared with expr's <c>matches</c>): RE2 syntax on .NET's
/// linear-time engine, Go's rules for successive matches, Go's <c>$name</c> expansion.
/// </summary>
public static partial class SprigFunctions
{
    private static void AddRegex(Dictionary<string, GoFunction> m)
    {
        m["regexMatch"] = Fn("regexMatch", "string string", a => GoRegex.TryCompile((string)a[0]!, out GoRegex? re, out _) && re.IsMatch((string)a[1]!));
        m["mustRegexMatch"] = Fn("mustRegexMatch", "string string", a => GoRegex.Compile((string)a[0]!).IsMatch((string)a[1]!));
        foreach (string prefix in new[] { string.Empty, "must" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("regexFindAll")] = Fn(P("regexFindAll"), "string string int", a => ToList(GoRegex.Compile((string)a[0]!).FindAll((string)a[1]!, (int)a[2]!).Select(x => x.Value)));
            m[P("regexFind")] = Fn(P("regexFind"), "string string", a => GoRegex.Compile((string)a[0]!).FindAll((string)a[1]!, 1).FirstOrDefault()?.Value ?? string.Empty);
            m[P("regexReplaceAll")] = Fn(P("regexReplaceAll"), "string string string", a => GoRegex.Compile((string)a[0]!).ReplaceAll((string)a[1]!, (string)a[2]!, literal: false));
            m[P("regexReplaceAllLiteral")] = Fn(P("regexReplaceAllLiteral"), "string string string", a => GoRegex.Compile((string)a[0]!).ReplaceAll((string)a[1]!, (string)a[2]!, literal: true));
            m[P("regexSplit")] = Fn(P("regexSplit"), "string string int", a => ToList(GoRegex.Compile((string)a[0]!).Split((string)a[1]!, (int)a[2]!)));
        }

        m["regexQuoteMeta"] = Fn("regexQuoteMeta", "string", a => QuoteMeta((string)a[0]!));
    }

    private static string QuoteMeta(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                b.Append('\\');
            }

            b.Append(c);
        }

        return b.ToString();
    }
}
