using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's regex.go.</summary>
public static partial class SprigFunctions
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    // The engine expressions use: RE2's syntax, linear time whatever the pattern and input.
    private static Regex Compile(string pattern) => GoRegex.Compile(pattern);

    private static void AddRegex(Dictionary<string, GoFunction> m)
    {
        foreach (string prefix in new[] { string.Empty, "must" })
        {
            string P(string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];
            m[P("regexMatch")] = Fn(P("regexMatch"), "string string", a => Compile((string)a[0]!).IsMatch((string)a[1]!));
            m[P("regexFindAll")] = Fn(P("regexFindAll"), "string string int", a =>
            {
                IEnumerable<string> all = Compile((string)a[0]!).Matches((string)a[1]!).Select(x => x.Value);
                int n = (int)a[2]!;
                return ToList(n < 0 ? all : all.Take(n));
            });
            m[P("regexFind")] = Fn(P("regexFind"), "string string", a => Compile((string)a[0]!).Match((string)a[1]!) is { Success: true } x ? x.Value : string.Empty);
            m[P("regexReplaceAll")] = Fn(P("regexReplaceAll"), "string string string", a => Compile((string)a[0]!).Replace((string)a[1]!, GoExpand((string)a[2]!)));
            m[P("regexReplaceAllLiteral")] = Fn(P("regexReplaceAllLiteral"), "string string string", a => Compile((string)a[0]!).Replace((string)a[1]!, ((string)a[2]!).Replace("$", "$$", StringComparison.Ordinal)));
            m[P("regexSplit")] = Fn(P("regexSplit"), "string string int", a => ToList(RegexSplit(Compile((string)a[0]!), (string)a[1]!, (int)a[2]!)));
        }

        m["regexQuoteMeta"] = Fn("regexQuoteMeta", "string", a => QuoteMeta((string)a[0]!));
    }

    // Go's $name (a run of letters, digits, underscores) becomes .NET's ${name}.
    private static string GoExpand(string template) =>
        Regex.Replace(template, @"\$([A-Za-z0-9_]+)", "$${$1}", RegexOptions.CultureInvariant, RegexBudget);

    private static List<string> RegexSplit(Regex re, string s, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (re.ToString().Length > 0 && s.Length == 0)
        {
            return [string.Empty];
        }

        var result = new List<string>();
        int beg = 0;
        foreach (Match match in re.Matches(s))
        {
            if (n > 0 && result.Count == n - 1)
            {
                break;
            }

            if (match.Length == 0 && match.Index == 0)
            {
                continue;
            }

            result.Add(s[beg..match.Index]);
            beg = match.Index + match.Length;
        }

        result.Add(s[beg..]);
        return result;
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
