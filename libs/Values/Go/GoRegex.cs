using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lookout.Values;

/// <summary>
/// Go's <c>regexp</c> (RE2 syntax and semantics), the one translator both languages use: expr's <c>matches</c> and
/// Sprig's <c>regex*</c> functions, so a pattern that works in a trigger works in a template and answers the same.
/// A pattern is checked against what RE2 accepts and translated to .NET's syntax: Perl classes (<c>\d</c>, <c>\w</c>,
/// <c>\s</c>) and <c>\b</c> in their ASCII meaning, POSIX classes, <c>\Q…\E</c>, <c>\x{…}</c>, <c>(?P&lt;name&gt;…)</c>,
/// <c>$</c> as the end of the text, groups numbered as Go numbers them, repeat counts up to 1000.
/// </summary>
/// <remarks>
/// Matching runs on .NET's <see cref="RegexOptions.NonBacktracking"/> engine: linear in the input, as RE2 is, whatever
/// the pattern. One construct has no linear translation: RE2's <c>\b</c> and <c>\B</c> are ASCII word boundaries, .NET's
/// are Unicode ones. They agree on ASCII text, so such a pattern runs on the linear engine for ASCII input, and only
/// input with other characters runs on a backtracking translation (ASCII lookarounds) bounded by
/// <see cref="MatchTimeout"/>. Failures are <see cref="GoFunctionException"/>s, which both engines report as errors of
/// the expression or template with its position: a pattern Go rejects (<c>error parsing regexp: …</c>) and a match
/// past <see cref="MatchTimeout"/>. Compiled patterns are cached (up to <see cref="CacheLimit"/>); an instance is safe
/// to use from many threads.
/// </remarks>
public sealed class GoRegex
{
    /// <summary>The most patterns kept compiled; when the cache is full it starts again.</summary>
    public const int CacheLimit = 1000;

    /// <summary>How long one match may run before it fails.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one match on the backtracking translation (a word boundary in a pattern, other than ASCII characters in
    /// the input) may run: far beyond what a real pattern needs on a notification's text, well within an evaluation's
    /// time limit.
    /// </summary>
    public static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(250);

    // RE2's word boundaries in ASCII, for the backtracking translation.
    private const string AsciiBoundary = @"(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))";
    private const string AsciiNonBoundary = @"(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))";

    private static readonly ConcurrentDictionary<string, (GoRegex? Regex, string? Error)> Cache = new(StringComparer.Ordinal);

    private static readonly Regex MultilineFlag = new(@"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex RepeatCount = new(@"^\{([0-9]+)(,([0-9]*))?\}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private readonly Regex linear;
    private readonly string?[] groupNames;
    private readonly Lazy<Regex>? asciiBoundaries;

    private GoRegex(string source, Regex linear, string?[] groupNames, Lazy<Regex>? asciiBoundaries)
    {
        Source = source;
        this.linear = linear;
        this.groupNames = groupNames;
        this.asciiBoundaries = asciiBoundaries;
    }

    /// <summary>The Go pattern.</summary>
    public string Source { get; }

    /// <summary>Whether the pattern runs on the linear engine for every input (it has no <c>\b</c> or <c>\B</c>).</summary>
    public bool AlwaysLinear => asciiBoundaries is null;

    /// <summary>Compiles (or finds in the cache) a Go pattern.</summary>
    /// <exception cref="GoFunctionException">The pattern is not valid RE2 (Go's <c>error parsing regexp</c>).</exception>
    public static GoRegex Compile(string pattern) =>
        TryCompile(pattern, out GoRegex? re, out string? error) ? re : throw new GoFunctionException(error);

    /// <summary>Compiles (or finds in the cache) a Go pattern; false with Go's error when the pattern is not valid RE2.</summary>
    public static bool TryCompile(string pattern, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoRegex? regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
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
            CheckRe2Syntax(pattern);
            (string translated, string?[] names, bool boundaries) = Translate(pattern, asciiBoundaries: false);
            var linear = new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
            Lazy<Regex>? ascii = boundaries
                ? new(() => new Regex(Translate(pattern, asciiBoundaries: true).Pattern, RegexOptions.CultureInvariant, BacktrackingTimeout))
                : null;
            return (new GoRegex(pattern, linear, names, ascii), null);
        }
        catch (GoFunctionException ex)
        {
            return (null, ex.Message);
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

    /// <summary>Go's <c>MatchString</c>.</summary>
    /// <exception cref="GoFunctionException">The match ran past <see cref="MatchTimeout"/>.</exception>
    public bool IsMatch(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Regex regex = For(s);
        return Run(() => regex.IsMatch(s));
    }

    /// <summary>The error for a match that ran past <see cref="MatchTimeout"/>, for callers that catch .NET's timeout themselves.</summary>
    public static GoFunctionException TimedOut() => TimedOut(MatchTimeout);

    private static GoFunctionException TimedOut(TimeSpan timeout) =>
        new($"regexp: match did not finish within {timeout.TotalMilliseconds:0} ms");

    // The linear engine, unless the pattern has a word boundary and the input a character where .NET's and RE2's
    // word characters differ.
    private Regex For(string s) => asciiBoundaries is null || System.Text.Ascii.IsValid(s) ? linear : asciiBoundaries.Value;

    /// <summary>Go's <c>allMatches</c>: up to n matches (all when n &lt; 0), an empty match right after a match skipped.</summary>
    public List<Match> FindAll(string s, int n)
    {
        ArgumentNullException.ThrowIfNull(s);
        Regex regex = For(s);
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
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(replacement);
        Regex regex = For(s);
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
        ArgumentNullException.ThrowIfNull(s);
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
        catch (RegexMatchTimeoutException ex)
        {
            throw TimedOut(ex.MatchTimeout);
        }
    }

    /// <summary>
    /// RE2 syntax to .NET syntax: Perl classes in their ASCII meaning, POSIX classes, <c>\Q…\E</c>, <c>\x{…}</c>,
    /// <c>\pL</c>, <c>$</c> as the end of the text, named groups made plain (numbered as Go numbers them, names kept
    /// apart), repeat counts up to 1000 as RE2 allows, <c>\b</c> and <c>\B</c> as .NET's or, with
    /// <paramref name="asciiBoundaries"/>, as RE2's ASCII ones. Anything RE2 rejects is a <see cref="FormatException"/>.
    /// </summary>
    private static (string Pattern, string?[] GroupNames, bool Boundaries) Translate(string p, bool asciiBoundaries)
    {
        bool boundaries = false;
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
                if (!inClass && i + 1 < p.Length && p[i + 1] is 'b' or 'B')
                {
                    boundaries = true;
                    b.Append(!asciiBoundaries ? (p[i + 1] == 'b' ? @"\b" : @"\B") : p[i + 1] == 'b' ? AsciiBoundary : AsciiNonBoundary);
                    i += 2;
                    continue;
                }

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

        return (b.ToString(), [.. names], boundaries);
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

    /// <summary>RE2 accepts only the flags i, m, s, U in <c>(?…)</c> and <c>(?P&lt;name&gt;…)</c> for names: no
    /// lookaround, atomic groups, comments or other .NET constructs, which Go rejects.</summary>
    private static void CheckRe2Syntax(string pattern)
    {
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    i++;
                }

                continue;
            }

            if (c != '(' || i + 1 >= pattern.Length || pattern[i + 1] != '?')
            {
                continue;
            }

            int j = i + 2;
            if (j + 1 < pattern.Length && pattern[j] == 'P' && pattern[j + 1] == '<')
            {
                continue;
            }

            int flags = 0;
            while (j < pattern.Length && pattern[j] is not (')' or ':'))
            {
                if (pattern[j] is not ('i' or 'm' or 's' or 'U' or '-'))
                {
                    throw new GoFunctionException($"error parsing regexp: invalid or unsupported Perl syntax: `{pattern[i..Math.Min(pattern.Length, j + 1)]}`");
                }

                j++;
                flags++;
            }

            if (j >= pattern.Length || (flags == 0 && pattern[j] == ')'))
            {
                throw new GoFunctionException($"error parsing regexp: missing argument to repetition operator or invalid syntax: `{pattern[i..Math.Min(pattern.Length, j + 1)]}`");
            }
        }
    }
}
