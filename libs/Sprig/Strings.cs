using System.Security.Cryptography;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's string functions (strings.go: Go's strings package, goutils and xstrings).</summary>
public static partial class SprigFunctions
{
    private static void AddStrings(Dictionary<string, GoFunction> m)
    {
        m["trim"] = Fn("trim", "string", a => TrimSpace((string)a[0]!));
        m["upper"] = Fn("upper", "string", a => ((string)a[0]!).ToUpperInvariant());
        m["lower"] = Fn("lower", "string", a => ((string)a[0]!).ToLowerInvariant());
        m["title"] = Fn("title", "string", a => Title((string)a[0]!));
        m["untitle"] = Fn("untitle", "string", a => Untitle((string)a[0]!));
        m["substr"] = Fn("substr", "int int string", a => Substring((int)a[0]!, (int)a[1]!, (string)a[2]!));
        m["repeat"] = Fn("repeat", "int string", a => (int)a[0]! < 0 ? throw new GoFunctionException("strings: negative Repeat count") : string.Concat(Enumerable.Repeat((string)a[1]!, (int)a[0]!)));
        m["trimall"] = m["trimAll"] = Fn("trimAll", "string string", a => ((string)a[1]!).Trim(((string)a[0]!).ToCharArray()));
        m["trimSuffix"] = Fn("trimSuffix", "string string", a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[..^((string)a[0]!).Length] : (string)a[1]!);
        m["trimPrefix"] = Fn("trimPrefix", "string string", a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[((string)a[0]!).Length..] : (string)a[1]!);
        m["nospace"] = Fn("nospace", "string", a => string.Concat(((string)a[0]!).Where(c => !char.IsWhiteSpace(c))));
        m["initials"] = Fn("initials", "string", a => string.Concat(((string)a[0]!).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w[0])));
        m["randAlphaNum"] = Fn("randAlphaNum", "int", a => Random((int)a[0]!, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
        m["randAlpha"] = Fn("randAlpha", "int", a => Random((int)a[0]!, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"));
        m["randAscii"] = Fn("randAscii", "int", a => Random((int)a[0]!, string.Concat(Enumerable.Range(32, 95).Select(i => (char)i))));
        m["randNumeric"] = Fn("randNumeric", "int", a => Random((int)a[0]!, "0123456789"));
        m["swapcase"] = Fn("swapcase", "string", a => string.Concat(((string)a[0]!).Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.IsLower(c) ? char.ToUpperInvariant(c) : c)));
        m["shuffle"] = Fn("shuffle", "string", a => new string([.. ((string)a[0]!).OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]));
        m["snakecase"] = Fn("snakecase", "string", a => CaseWords((string)a[0]!, '_'));
        m["kebabcase"] = Fn("kebabcase", "string", a => CaseWords((string)a[0]!, '-'));
        m["camelcase"] = Fn("camelcase", "string", a => CamelCase((string)a[0]!));
        m["wrap"] = Fn("wrap", "int string", a => Wrap((string)a[1]!, (int)a[0]!, "\n"));
        m["wrapWith"] = Fn("wrapWith", "int string string", a => Wrap((string)a[2]!, (int)a[0]!, (string)a[1]!));
        m["contains"] = Fn("contains", "string string", a => ((string)a[1]!).Contains((string)a[0]!, StringComparison.Ordinal));
        m["hasPrefix"] = Fn("hasPrefix", "string string", a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal));
        m["hasSuffix"] = Fn("hasSuffix", "string string", a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal));
        m["quote"] = Fn("quote", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => GoFmt.Quote(Strval(x)))));
        m["squote"] = Fn("squote", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => "'" + Strval(x) + "'")));
        m["cat"] = Fn("cat", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => GoFmt.Sprintf("%v", [x]))));
        m["indent"] = Fn("indent", "int string", a => Indent((int)a[0]!, (string)a[1]!));
        m["nindent"] = Fn("nindent", "int string", a => "\n" + Indent((int)a[0]!, (string)a[1]!));
        m["replace"] = Fn("replace", "string string string", a => ((string)a[0]!).Length == 0 ? ReplaceEmpty((string)a[2]!, (string)a[1]!) : ((string)a[2]!).Replace((string)a[0]!, (string)a[1]!, StringComparison.Ordinal));
        m["plural"] = Fn("plural", "string string int", a => (int)a[2]! == 1 ? a[0] : a[1]);
        m["trunc"] = Fn("trunc", "int string", a => Trunc((int)a[0]!, (string)a[1]!));
        m["abbrev"] = Fn("abbrev", "int string", a => Abbrev((int)a[0]!, (string)a[1]!));
        m["abbrevboth"] = Fn("abbrevboth", "int int string", a => AbbrevBoth((int)a[0]!, (int)a[1]!, (string)a[2]!));
    }

    private static string TrimSpace(string s) => s.Trim(' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00A0');

    // strings.Title's isSeparator.
    private static bool IsSeparator(char c)
    {
        if (c <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        return !char.IsLetterOrDigit(c) && char.IsWhiteSpace(c);
    }

    // strings.Title: the first letter of each word upper case; a word starts after a separator.
    private static string Title(string s)
    {
        var b = new StringBuilder(s.Length);
        char prev = ' ';
        foreach (char c in s)
        {
            b.Append(IsSeparator(prev) ? char.ToUpperInvariant(c) : c);
            prev = c;
        }

        return b.ToString();
    }

    // goutils.Uncapitalize over whitespace-delimited words.
    private static string Untitle(string s)
    {
        var b = new StringBuilder(s.Length);
        bool start = true;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                start = true;
                b.Append(c);
                continue;
            }

            b.Append(start ? char.ToLowerInvariant(c) : c);
            start = false;
        }

        return b.ToString();
    }

    private static string Substring(int start, int end, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        if (start < 0)
        {
            return Bytes(bytes, 0, Math.Min(Math.Max(end, 0), bytes.Length));
        }

        if (end < 0 || end > bytes.Length)
        {
            return start > bytes.Length ? throw new GoFunctionException($"runtime error: slice bounds out of range [{start}:{bytes.Length}]") : Bytes(bytes, start, bytes.Length);
        }

        if (start > end)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [{start}:{end}]");
        }

        return Bytes(bytes, start, end);
    }

    private static string Bytes(byte[] bytes, int from, int to) => Encoding.UTF8.GetString(bytes, from, to - from);

    private static string Trunc(int c, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        if (c < 0 && bytes.Length + c > 0)
        {
            return Bytes(bytes, bytes.Length + c, bytes.Length);
        }

        if (c >= 0 && bytes.Length > c)
        {
            return Bytes(bytes, 0, c);
        }

        return s;
    }

    private static string Abbrev(int width, string s)
    {
        if (width < 4)
        {
            return s;
        }

        return s.Length <= width ? s : s[..(width - 3)] + "...";
    }

    // goutils.AbbreviateFull.
    private static string AbbrevBoth(int offset, int maxWidth, string s)
    {
        if (maxWidth < 4 || (offset > 0 && maxWidth < 7))
        {
            return s;
        }

        if (s.Length <= maxWidth)
        {
            return s;
        }

        if (offset > s.Length)
        {
            offset = s.Length;
        }

        if (s.Length - offset < maxWidth - 3)
        {
            offset = s.Length - (maxWidth - 3);
        }

        if (offset <= 4)
        {
            return s[..(maxWidth - 3)] + "...";
        }

        if (offset + maxWidth - 3 < s.Length)
        {
            return "..." + AbbrevBoth(0, maxWidth - 3, s[offset..]);
        }

        return "..." + s[(s.Length - (maxWidth - 3))..];
    }

    private static string Indent(int spaces, string v)
    {
        string pad = new(' ', Math.Max(0, spaces));
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    // strings.Replace with an empty old string inserts the new one around every rune.
    private static string ReplaceEmpty(string s, string replacement)
    {
        var b = new StringBuilder();
        b.Append(replacement);
        foreach (char c in s)
        {
            b.Append(c).Append(replacement);
        }

        return b.ToString();
    }

    private static string Random(int count, string alphabet)
    {
        if (count < 0)
        {
            throw new GoFunctionException("count must be positive");
        }

        return RandomNumberGenerator.GetString(alphabet, count);
    }

    // goutils.WrapCustom(str, width, newLine, wrapLongWords=true).
    private static string Wrap(string s, int width, string newLine)
    {
        if (width < 1)
        {
            width = 1;
        }

        var result = new StringBuilder();
        int offset = 0;
        while (s.Length - offset > width)
        {
            if (s[offset] == ' ')
            {
                offset++;
                continue;
            }

            int spaceToWrapAt = s.LastIndexOf(' ', Math.Min(width + offset, s.Length - 1), Math.Min(width + offset, s.Length - 1) - offset + 1);
            if (spaceToWrapAt >= offset)
            {
                result.Append(s, offset, spaceToWrapAt - offset).Append(newLine);
                offset = spaceToWrapAt + 1;
            }
            else
            {
                result.Append(s, offset, width).Append(newLine);
                offset += width;
            }
        }

        result.Append(s, offset, s.Length - offset);
        return result.ToString();
    }

    // Word splitting as huandu/xstrings: runs of lower/digits after an upper case letter, acronyms, separators.
    private static List<string> Words(string s)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            if (current.Length > 0)
            {
                char prev = current[^1];
                bool boundary =
                    (char.IsUpper(c) && (char.IsLower(prev) || char.IsDigit(prev)))
                    || (char.IsUpper(c) && char.IsUpper(prev) && i + 1 < s.Length && char.IsLower(s[i + 1]))
                    || (char.IsDigit(c) && char.IsLetter(prev) && !char.IsDigit(prev) && current.ToString().All(char.IsLetter) && current.Length > 1 && false);
                if (boundary)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static string CaseWords(string s, char connector) => string.Join(connector, Words(s).Select(w => w.ToLowerInvariant()));

    private static string CamelCase(string s)
    {
        var b = new StringBuilder();
        bool upperNext = true;
        foreach (char c in s)
        {
            if (c is '_' or '-' or ' ' or '.')
            {
                upperNext = true;
                continue;
            }

            b.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        return b.ToString();
    }
}
