using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's regex.go on Go's regexp semantics: RE2 syntax translated for .NET's linear-time (non-backtracking) engine,
/// Go's rules for successive matches (an empty match right after a match is skipped), Go's <c>$name</c> expansion,
/// and groups numbered as Go numbers them.
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

/// <summary>A Go regular expression compiled for .NET's non-backtracking engine.</summary>
internal sealed class GoRegex
{
    private const int CacheLimit = 512;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, (GoRegex? Regex, string? Error)> Cache = new(StringComparer.Ordinal);

    private static readonly Regex MultilineFlag = new(@"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex RepeatCount = new(@"^\{([0-9]+)(,([0-9]*))?\}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private readonly Regex regex;
    private readonly string?[] groupNames;

    private GoRegex(string source, Regex regex, string?[] groupNames)
    {
        Source = source;
        this.regex = regex;
        this.groupNames = groupNames;
    }

    public string Source { get; }

    /// <summary>Compiles (or finds in the cache) a Go pattern.</summary>
    /// <exception cref="GoFunctionException">The pattern is not valid RE2 (Go's <c>error parsing regexp</c>).</exception>
    public static GoRegex Compile(string pattern) =>
        TryCompile(pattern, out GoRegex? re, out string? error) ? re : throw new GoFunctionException(error);

    public static bool TryCompile(string pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoRegex? regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (!Cache.TryGetValue(pattern, out (GoRegex? Regex, string? Error) entry))
        {
            entry = Build(pattern);
            if (Cache.Count >= CacheLimit)
            {
                Cache.Clear();
            }

            Cache[pattern] = entry;
        }

        regex = entry.Regex;
        error = entry.Error;
        return regex is not null;
    }

    private static (GoRegex? Regex, string? Error) Build(string pattern)
    {
        try
        {
            (string translated, string?[] names) = Translate(pattern);
            return (new GoRegex(pattern, new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, Budget), names), null);
        }
        catch (FormatException ex)
        {
            return (null, $"error parsing regexp: {ex.Message}: `{pattern}`");
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return (null, $"error parsing regexp: invalid or unsupported Perl syntax: `{pattern}`");
        }
    }

    public bool IsMatch(string s) => Run(() => regex.IsMatch(s));

    /// <summary>Go's <c>allMatches</c>: up to n matches (all when n &lt; 0), an empty match right after a match skipped.</summary>
    public List<Match> FindAll(string s, int n)
    {
        var result = new List<Match>();
        if (n < 0)
        {
            n = s.Length + 1;
        }

        int pos = 0, prevMatchEnd = -1;
        while (result.Count < n && pos <= s.Length)
        {
            Match m = Run(() => regex.Match(s, pos));
            if (!m.Success)
            {
                break;
            }

            int end = m.Index + m.Length;
            bool accept = true;
            if (end == pos)
            {
                if (m.Index == prevMatchEnd)
                {
                    accept = false;
                }

                pos += pos < s.Length ? RuneWidth(s, pos) : 1;
            }
            else
            {
                pos = end;
            }

            prevMatchEnd = end;
            if (accept)
            {
                result.Add(m);
            }
        }

        return result;
    }

    /// <summary>Go's <c>ReplaceAllString</c> (with <c>$</c> expansion) or <c>ReplaceAllLiteralString</c>.</summary>
    public string ReplaceAll(string s, string replacement, bool literal)
    {
        var b = new StringBuilder();
        int lastMatchEnd = 0, searchPos = 0;
        while (searchPos <= s.Length)
        {
            Match m = Run(() => regex.Match(s, searchPos));
            if (!m.Success)
            {
                break;
            }

            int end = m.Index + m.Length;
            b.Append(s, lastMatchEnd, m.Index - lastMatchEnd);
            if (end > lastMatchEnd || m.Index == 0)
            {
                if (literal)
                {
                    b.Append(replacement);
                }
                else
                {
                    Expand(b, replacement, m);
                }
            }

            lastMatchEnd = end;
            int width = searchPos < s.Length ? RuneWidth(s, searchPos) : 0;
            searchPos = searchPos + width > end ? searchPos + width : searchPos + 1 > end ? searchPos + 1 : end;
        }

        b.Append(s, lastMatchEnd, s.Length - lastMatchEnd);
        return b.ToString();
    }

    /// <summary>Go's <c>Split</c>.</summary>
    public List<string> Split(string s, int n)
    {
        if (n == 0)
        {
            return [];
        }

        if (Source.Length > 0 && s.Length == 0)
        {
            return [string.Empty];
        }

        var parts = new List<string>();
        int beg = 0, endAt = 0;
        foreach (Match m in FindAll(s, n))
        {
            if (n > 0 && parts.Count == n - 1)
            {
                break;
            }

            endAt = m.Index;
            if (m.Index + m.Length != 0)
            {
                parts.Add(s[beg..endAt]);
            }

            beg = m.Index + m.Length;
        }

        if (endAt != s.Length)
        {
            parts.Add(s[beg..]);
        }

        return parts;
    }

    // Go's Regexp.Expand: $$, $name, ${name}; a name made only of digits is a group number; unknown names give "".
    private void Expand(StringBuilder b, string template, Match m)
    {
        int i = 0;
        while (i < template.Length)
        {
            int dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                break;
            }

            b.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                b.Append('$');
                i++;
                continue;
            }

            if (!Extract(template, i, out string name, out int num, out int rest))
            {
                b.Append('$');
                continue;
            }

            i = rest;
            int group = num >= 0 ? num : Array.IndexOf(groupNames, name);
            if (group >= 0 && group < m.Groups.Count && m.Groups[group].Success)
            {
                b.Append(m.Groups[group].Value);
            }
        }

        b.Append(template, i, template.Length - i);
    }

    private static bool Extract(string s, int at, out string name, out int num, out int rest)
    {
        name = string.Empty;
        num = -1;
        rest = at;
        if (at >= s.Length)
        {
            return false;
        }

        bool brace = s[at] == '{';
        int i = brace ? at + 1 : at;
        int start = i;
        while (i < s.Length && Rune.DecodeFromUtf16(s.AsSpan(i), out Rune r, out int size) == System.Buffers.OperationStatus.Done && (Rune.IsLetter(r) || Rune.IsDigit(r) || r.Value == '_'))
        {
            i += size;
        }

        if (i == start)
        {
            return false;
        }

        name = s[start..i];
        if (brace)
        {
            if (i >= s.Length || s[i] != '}')
            {
                return false;
            }

            i++;
        }

        num = 0;
        foreach (char c in name)
        {
            if (c is < '0' or > '9' || num >= 100_000_000)
            {
                num = -1;
                break;
            }

            num = (num * 10) + (c - '0');
        }

        if (name[0] == '0' && name.Length > 1)
        {
            num = -1;
        }

        rest = i;
        return true;
    }

    private static int RuneWidth(string s, int pos) => char.IsHighSurrogate(s[pos]) && pos + 1 < s.Length && char.IsLowSurrogate(s[pos + 1]) ? 2 : 1;

    private static T Run<T>(Func<T> match)
    {
        try
        {
            return match();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new GoFunctionException("regular expression ran past its time budget");
        }
    }

    /// <summary>
    /// RE2 syntax to .NET syntax: Perl classes in their ASCII meaning, POSIX classes, <c>\Q…\E</c>, <c>\x{…}</c>,
    /// <c>\pL</c>, <c>$</c> as the end of the text, named groups made plain (numbered as Go numbers them, names kept
    /// apart), repeat counts up to 1000 as RE2 allows. Anything RE2 rejects is a <see cref="FormatException"/>.
    /// </summary>
    private static (string Pattern, string?[] GroupNames) Translate(string p)
    {
        var b = new StringBuilder(p.Length + 16);
        var names = new List<string?> { null };
        bool multiline = MultilineFlag.IsMatch(p);
        bool inClass = false;
        int i = 0;
        while (i < p.Length)
        {
            char c = p[i];
            if (c == '\\')
            {
                i = Escape(p, i, b, inClass);
                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                    b.Append(']');
                    i++;
                }
                else if (c == '[' && i + 1 < p.Length && p[i + 1] == ':')
                {
                    int close = p.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    string? posix = close < 0 ? null : Posix(p[(i + 2)..close]);
                    if (posix is null)
                    {
                        b.Append(@"\[");
                        i++;
                    }
                    else
                    {
                        b.Append(posix);
                        i = close + 2;
                    }
                }
                else
                {
                    b.Append(c == '[' ? @"\[" : c.ToString());
                    i++;
                }

                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    b.Append('[');
                    i++;
                    if (i < p.Length && p[i] == '^')
                    {
                        b.Append('^');
                        i++;
                    }

                    if (i < p.Length && p[i] == ']')
                    {
                        b.Append(@"\]");
                        i++;
                    }

                    break;
                case '(':
                    if (p.AsSpan(i).StartsWith("(?P<") || (p.AsSpan(i).StartsWith("(?<") && i + 3 < p.Length && p[i + 3] is not '=' and not '!'))
                    {
                        int nameStart = p[i + 2] == 'P' ? i + 4 : i + 3;
                        int close = p.IndexOf('>', nameStart);
                        string name = close < 0 ? string.Empty : p[nameStart..close];
                        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                        {
                            throw new FormatException($"invalid named capture: `{p[i..Math.Min(p.Length, close < 0 ? p.Length : close + 1)]}`");
                        }

                        names.Add(name);
                        b.Append('(');
                        i = close + 1;
                    }
                    else if (p.AsSpan(i).StartsWith("(?"))
                    {
                        b.Append("(?");
                        i += 2;
                    }
                    else
                    {
                        names.Add(null);
                        b.Append('(');
                        i++;
                    }

                    break;
                case '$':
                    b.Append(multiline ? "$" : @"\z");
                    i++;
                    break;
                case '{':
                    {
                        Match rep = RepeatCount.Match(p[i..Math.Min(p.Length, i + 32)]);
                        if (rep.Success && (int.Parse(rep.Groups[1].Value.Length > 5 ? "99999" : rep.Groups[1].Value, CultureInfo.InvariantCulture) > 1000
                            || (rep.Groups[3].Value.Length > 0 && int.Parse(rep.Groups[3].Value.Length > 5 ? "99999" : rep.Groups[3].Value, CultureInfo.InvariantCulture) > 1000)))
                        {
                            throw new FormatException($"invalid repeat count: `{rep.Value}`");
                        }

                        b.Append(rep.Success ? rep.Value : @"\{");
                        i += rep.Success ? rep.Length : 1;
                        break;
                    }

                default:
                    b.Append(c);
                    i++;
                    break;
            }
        }

        if (inClass)
        {
            throw new FormatException("missing closing ]");
        }

        return (b.ToString(), [.. names]);
    }

    // One escape starting at p[i] ('\'); returns the index after it.
    private static int Escape(string p, int i, StringBuilder b, bool inClass)
    {
        if (i + 1 >= p.Length)
        {
            throw new FormatException("trailing backslash at end of expression");
        }

        char e = p[i + 1];
        string? cls = e switch
        {
            'd' => "0-9",
            'w' => "0-9A-Za-z_",
            's' => @"\t\n\f\r ",
            _ => null,
        };
        if (cls is not null)
        {
            b.Append(inClass ? cls : "[" + cls + "]");
            return i + 2;
        }

        cls = e switch
        {
            'D' => "0-9",
            'W' => "0-9A-Za-z_",
            'S' => @"\t\n\f\r ",
            _ => null,
        };
        if (cls is not null)
        {
            b.Append(inClass ? e switch { 'D' => @"\P{Nd}", 'W' => @"\W", _ => @"\S" } : "[^" + cls + "]");
            return i + 2;
        }

        switch (e)
        {
            case 'Q':
                {
                    int end = p.IndexOf(@"\E", i + 2, StringComparison.Ordinal);
                    string literal = end < 0 ? p[(i + 2)..] : p[(i + 2)..end];
                    foreach (char ch in literal)
                    {
                        b.Append(@"\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    return end < 0 ? p.Length : end + 2;
                }

            case 'x':
                {
                    if (i + 2 < p.Length && p[i + 2] == '{')
                    {
                        int close = p.IndexOf('}', i + 3);
                        if (close < 0 || !int.TryParse(p.AsSpan(i + 3, close - i - 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int cp) || cp > 0x10FFFF)
                        {
                            throw new FormatException($"invalid escape sequence: `{p[i..Math.Min(p.Length, i + 4)]}`");
                        }

                        AppendCodePoint(b, cp);
                        return close + 1;
                    }

                    if (i + 3 < p.Length && Uri.IsHexDigit(p[i + 2]) && Uri.IsHexDigit(p[i + 3]))
                    {
                        b.Append(p, i, 4);
                        return i + 4;
                    }

                    throw new FormatException($"invalid escape sequence: `{p[i..Math.Min(p.Length, i + 3)]}`");
                }

            case 'p' or 'P':
                {
                    if (i + 2 < p.Length && p[i + 2] != '{')
                    {
                        b.Append('\\').Append(e).Append('{').Append(p[i + 2]).Append('}');
                        return i + 3;
                    }

                    int close = p.IndexOf('}', i + 2);
                    if (close < 0)
                    {
                        throw new FormatException($"invalid character class range: `{p[i..]}`");
                    }

                    b.Append(p, i, close + 1 - i);
                    return close + 1;
                }

            case 'a' or 'f' or 't' or 'n' or 'r' or 'v' or 'b' or 'B' or 'A' or 'z':
                if (inClass && e is 'b' or 'B' or 'A' or 'z')
                {
                    throw new FormatException($"invalid escape sequence: `\\{e}`");
                }

                b.Append('\\').Append(e);
                return i + 2;
            case >= '0' and <= '7':
                {
                    // Octal: \0, or a digit 1-7 followed by more digits (a lone \1 would be a back reference, which RE2 lacks).
                    if (e != '0' && !(i + 2 < p.Length && p[i + 2] is >= '0' and <= '7'))
                    {
                        throw new FormatException($"invalid escape sequence: `\\{e}`");
                    }

                    int j = i + 1, value = 0;
                    while (j < p.Length && j < i + 4 && p[j] is >= '0' and <= '7')
                    {
                        value = (value * 8) + (p[j] - '0');
                        j++;
                    }

                    AppendCodePoint(b, value);
                    return j;
                }

            default:
                if (e < 0x80 && !char.IsAsciiLetterOrDigit(e) && e > ' ')
                {
                    AppendCodePoint(b, e);
                    return i + 2;
                }

                throw new FormatException($"invalid escape sequence: `\\{e}`");
        }
    }

    private static void AppendCodePoint(StringBuilder b, int cp)
    {
        foreach (char ch in char.ConvertFromUtf32(cp is >= 0xD800 and <= 0xDFFF ? 0xFFFD : cp))
        {
            b.Append(@"\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
        }
    }

    private static string? Posix(string name) => name switch
    {
        "alnum" => "0-9A-Za-z",
        "alpha" => "A-Za-z",
        "ascii" => @"\x00-\x7F",
        "blank" => @"\t ",
        "cntrl" => @"\x00-\x1F\x7F",
        "digit" => "0-9",
        "graph" => @"\x21-\x7E",
        "lower" => "a-z",
        "print" => @"\x20-\x7E",
        "punct" => @"\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E",
        "space" => @"\t\n\v\f\r ",
        "upper" => "A-Z",
        "word" => "0-9A-Za-z_",
        "xdigit" => "0-9A-Fa-f",
        _ => null,
    };
}
