using System.Security.Cryptography;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's string functions (strings.go): Go's strings package, Masterminds/goutils (which works on bytes where Go
/// strings are bytes, so non-ASCII text takes the same odd turns it takes in Go) and huandu/xstrings 1.5.
/// </summary>
public static partial class SprigFunctions
{
    private const string AlphaNumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static void AddStrings(Dictionary<string, GoFunction> m)
    {
        m["trim"] = Fn("trim", "string", a => ((string)a[0]!).Trim());
        m["upper"] = Fn("upper", "string", a => ((string)a[0]!).ToUpperInvariant());
        m["lower"] = Fn("lower", "string", a => ((string)a[0]!).ToLowerInvariant());
        m["title"] = Fn("title", "string", a => Title((string)a[0]!));
        m["untitle"] = Fn("untitle", "string", a => Untitle((string)a[0]!));
        m["substr"] = Fn("substr", "int int string", a => Substring((int)a[0]!, (int)a[1]!, (string)a[2]!));
        m["repeat"] = Fn("repeat", "int string", a => Repeat((string)a[1]!, (int)a[0]!));
        m["trimall"] = m["trimAll"] = Fn("trimAll", "string string", a => TrimRunes((string)a[1]!, (string)a[0]!));
        m["trimSuffix"] = Fn("trimSuffix", "string string", a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[..^((string)a[0]!).Length] : (string)a[1]!);
        m["trimPrefix"] = Fn("trimPrefix", "string string", a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[((string)a[0]!).Length..] : (string)a[1]!);
        m["nospace"] = Fn("nospace", "string", a => DeleteWhiteSpace((string)a[0]!));
        m["initials"] = Fn("initials", "string", a => Initials((string)a[0]!));
        m["randAlphaNum"] = Fn("randAlphaNum", "int", a => Random((int)a[0]!, AlphaNumerics));
        m["randAlpha"] = Fn("randAlpha", "int", a => Random((int)a[0]!, AlphaNumerics[..52]));
        m["randAscii"] = Fn("randAscii", "int", a => Random((int)a[0]!, string.Concat(Enumerable.Range(32, 95).Select(i => (char)i))));
        m["randNumeric"] = Fn("randNumeric", "int", a => Random((int)a[0]!, AlphaNumerics[52..]));
        m["swapcase"] = Fn("swapcase", "string", a => SwapCase((string)a[0]!));
        m["shuffle"] = Fn("shuffle", "string", a => Shuffle((string)a[0]!));
        m["snakecase"] = Fn("snakecase", "string", a => XStrings.ToSnakeCase((string)a[0]!));
        m["kebabcase"] = Fn("kebabcase", "string", a => XStrings.ToKebabCase((string)a[0]!));
        m["camelcase"] = Fn("camelcase", "string", a => XStrings.ToPascalCase((string)a[0]!));
        m["wrap"] = Fn("wrap", "int string", a => Wrap((string)a[1]!, (int)a[0]!, string.Empty, wrapLongWords: false));
        m["wrapWith"] = Fn("wrapWith", "int string string", a => Wrap((string)a[2]!, (int)a[0]!, (string)a[1]!, wrapLongWords: true));
        m["contains"] = Fn("contains", "string string", a => ((string)a[1]!).Contains((string)a[0]!, StringComparison.Ordinal));
        m["hasPrefix"] = Fn("hasPrefix", "string string", a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal));
        m["hasSuffix"] = Fn("hasSuffix", "string string", a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal));
        m["quote"] = Fn("quote", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => GoFmt.Quote(Strval(x)))));
        m["squote"] = Fn("squote", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => "'" + GoFmt.Sprintf("%v", [x]) + "'")));
        m["cat"] = Fn("cat", "...any", a => string.Join(" ", a.Where(x => x is not null).Select(x => GoFmt.Sprintf("%v", [x]))));
        m["indent"] = Fn("indent", "int string", a => Indent((int)a[0]!, (string)a[1]!));
        m["nindent"] = Fn("nindent", "int string", a => "\n" + Indent((int)a[0]!, (string)a[1]!));
        m["replace"] = Fn("replace", "string string string", a => ((string)a[0]!).Length == 0 ? ReplaceEmpty((string)a[2]!, (string)a[1]!) : ((string)a[2]!).Replace((string)a[0]!, (string)a[1]!, StringComparison.Ordinal));
        m["plural"] = Fn("plural", "string string int", a => (int)a[2]! == 1 ? a[0] : a[1]);
        m["trunc"] = Fn("trunc", "int string", a => Trunc((int)a[0]!, (string)a[1]!));
        m["abbrev"] = Fn("abbrev", "int string", a => (int)a[0]! < 4 ? a[1] : AbbreviateFull((string)a[1]!, 0, (int)a[0]!));
        m["abbrevboth"] = Fn("abbrevboth", "int int string", a => (int)a[1]! < 4 || ((int)a[0]! > 0 && (int)a[1]! < 7) ? a[2] : AbbreviateFull((string)a[2]!, (int)a[0]!, (int)a[1]!));
    }

    /// <summary>A Go string's bytes.</summary>
    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Bytes back to text; an invalid sequence becomes U+FFFD, as Go's JSON and terminals show it.</summary>
    internal static string FromUtf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Go's <c>unicode.IsSpace</c>.</summary>
    internal static bool IsGoSpace(int rune) => rune switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
        < 0x100 => false,
        _ => Rune.IsValid(rune) && Rune.IsWhiteSpace(new Rune(rune)),
    };

    private static string Repeat(string s, int count) =>
        count < 0 ? throw new GoFunctionException("strings: negative Repeat count") : string.Concat(Enumerable.Repeat(s, count));

    // strings.Trim: drops leading and trailing runes that appear in the cutset.
    private static string TrimRunes(string s, string cutset)
    {
        if (s.Length == 0 || cutset.Length == 0)
        {
            return s;
        }

        var cut = cutset.EnumerateRunes().Select(r => r.Value).ToHashSet();
        int start = 0, end = s.Length;
        while (start < end && Rune.DecodeFromUtf16(s.AsSpan(start), out Rune r, out int n) == System.Buffers.OperationStatus.Done && cut.Contains(r.Value))
        {
            start += n;
        }

        while (end > start && Rune.DecodeLastFromUtf16(s.AsSpan(start, end - start), out Rune r, out int n) == System.Buffers.OperationStatus.Done && cut.Contains(r.Value))
        {
            end -= n;
        }

        return s[start..end];
    }

    // strings.Title's isSeparator.
    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        }

        return !Rune.IsLetter(r) && !Rune.IsDigit(r) && IsGoSpace(r.Value);
    }

    // strings.Title: the first letter of each word upper case; a word starts after a separator.
    private static string Title(string s)
    {
        var b = new StringBuilder(s.Length);
        Rune prev = new(' ');
        foreach (Rune r in s.EnumerateRunes())
        {
            b.Append(IsSeparator(prev) ? ToTitle(r).ToString() : r.ToString());
            prev = r;
        }

        return b.ToString();
    }

    // unicode.ToTitle: upper case, except the four Latin digraphs that have their own title-case forms.
    private static Rune ToTitle(Rune r) => r.Value switch
    {
        0x01C4 or 0x01C5 or 0x01C6 => new Rune(0x01C5),
        0x01C7 or 0x01C8 or 0x01C9 => new Rune(0x01C8),
        0x01CA or 0x01CB or 0x01CC => new Rune(0x01CB),
        0x01F1 or 0x01F2 or 0x01F3 => new Rune(0x01F2),
        _ => Rune.ToUpperInvariant(r),
    };

    // goutils.Uncapitalize: the first rune after white space lower case.
    private static string Untitle(string s)
    {
        var b = new StringBuilder(s.Length);
        bool start = true;
        foreach (Rune r in s.EnumerateRunes())
        {
            if (IsGoSpace(r.Value))
            {
                start = true;
                b.Append(r.ToString());
                continue;
            }

            b.Append((start ? Rune.ToLowerInvariant(r) : r).ToString());
            start = false;
        }

        return b.ToString();
    }

    // goutils.SwapCase: upper and title to lower; lower to title after white space (or at the start), else upper.
    private static string SwapCase(string s)
    {
        var b = new StringBuilder(s.Length);
        bool whitespace = true;
        foreach (Rune r in s.EnumerateRunes())
        {
            Rune o = r;
            UnicodeCategoryKind kind = Kind(r);
            if (kind is UnicodeCategoryKind.Upper or UnicodeCategoryKind.Title)
            {
                o = Rune.ToLowerInvariant(r);
                whitespace = false;
            }
            else if (kind == UnicodeCategoryKind.Lower)
            {
                o = whitespace ? ToTitle(r) : Rune.ToUpperInvariant(r);
                whitespace = false;
            }
            else
            {
                whitespace = IsGoSpace(r.Value);
            }

            b.Append(o.ToString());
        }

        return b.ToString();
    }

    private enum UnicodeCategoryKind
    {
        Upper,
        Lower,
        Title,
        Other,
    }

    private static UnicodeCategoryKind Kind(Rune r) => Rune.GetUnicodeCategory(r) switch
    {
        System.Globalization.UnicodeCategory.UppercaseLetter => UnicodeCategoryKind.Upper,
        System.Globalization.UnicodeCategory.LowercaseLetter => UnicodeCategoryKind.Lower,
        System.Globalization.UnicodeCategory.TitlecaseLetter => UnicodeCategoryKind.Title,
        _ => UnicodeCategoryKind.Other,
    };

    // goutils.Initials reads bytes as runes: the first byte of each white-space separated word, Latin-1 read.
    private static string Initials(string s)
    {
        var b = new StringBuilder();
        bool lastWasGap = true;
        foreach (byte c in Utf8(s))
        {
            if (IsGoSpace(c))
            {
                lastWasGap = true;
            }
            else if (lastWasGap)
            {
                b.Append((char)c);
                lastWasGap = false;
            }
        }

        return b.ToString();
    }

    // goutils.DeleteWhiteSpace reads bytes as runes too: the string is kept when nothing is removed.
    private static string DeleteWhiteSpace(string s)
    {
        byte[] bytes = Utf8(s);
        if (!bytes.Any(c => IsGoSpace(c)))
        {
            return s;
        }

        var b = new StringBuilder(bytes.Length);
        foreach (byte c in bytes)
        {
            if (!IsGoSpace(c))
            {
                b.Append((char)c);
            }
        }

        return b.ToString();
    }

    // Go slicing of a string's bytes: s[start:end] panics when out of range.
    private static string Substring(int start, int end, string s)
    {
        byte[] bytes = Utf8(s);
        int n = bytes.Length;
        (int from, int to) = start < 0 ? (0, end) : end < 0 || end > n ? (start, n) : (start, end);
        if (to < 0 || to > n)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:{to}] with length {n}");
        }

        if (from > to)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [{from}:{to}]");
        }

        return FromUtf8(bytes.AsSpan(from, to - from));
    }

    private static string Trunc(int c, string s)
    {
        byte[] bytes = Utf8(s);
        if (c < 0 && bytes.Length + c > 0)
        {
            return FromUtf8(bytes.AsSpan(bytes.Length + c));
        }

        if (c >= 0 && bytes.Length > c)
        {
            return FromUtf8(bytes.AsSpan(0, c));
        }

        return s;
    }

    // goutils.AbbreviateFull, on bytes; its errors (a width under 4, or under 7 with an offset) give "".
    private static string AbbreviateFull(string str, int offset, int maxWidth)
    {
        byte[] s = Utf8(str);
        return FromUtf8(AbbreviateFull(s, offset, maxWidth));
    }

    private static byte[] AbbreviateFull(byte[] s, int offset, int maxWidth)
    {
        byte[] marker = "..."u8.ToArray();
        if (s.Length == 0 || maxWidth < 4)
        {
            return [];
        }

        if (s.Length <= maxWidth)
        {
            return s;
        }

        offset = Math.Min(offset, s.Length);
        if (s.Length - offset < maxWidth - 3)
        {
            offset = s.Length - (maxWidth - 3);
        }

        if (offset <= 4)
        {
            return [.. s.AsSpan(0, maxWidth - 3), .. marker];
        }

        if (maxWidth < 7)
        {
            return [];
        }

        if (offset + maxWidth - 3 < s.Length)
        {
            return [.. marker, .. AbbreviateFull(s[offset..], 0, maxWidth - 3)];
        }

        return [.. marker, .. s.AsSpan(s.Length - (maxWidth - 3))];
    }

    private static string Indent(int spaces, string v)
    {
        string pad = Repeat(" ", spaces);
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    // strings.Replace with an empty old string inserts the new one around every rune.
    private static string ReplaceEmpty(string s, string replacement)
    {
        var b = new StringBuilder();
        b.Append(replacement);
        foreach (Rune r in s.EnumerateRunes())
        {
            b.Append(r.ToString()).Append(replacement);
        }

        return b.ToString();
    }

    // goutils.CryptoRandom: a negative count is an error Sprig drops, leaving "".
    private static string Random(int count, string alphabet) =>
        count <= 0 ? string.Empty : RandomNumberGenerator.GetString(alphabet, count);

    // xstrings.Shuffle: the runes in a random order.
    private static string Shuffle(string s)
    {
        Rune[] runes = [.. s.EnumerateRunes()];
        RandomNumberGenerator.Shuffle(runes.AsSpan());
        return string.Concat(runes.Select(r => r.ToString()));
    }

    // goutils.WrapCustom on bytes: words are split at ' ', and a word longer than the width is cut only when asked.
    private static string Wrap(string str, int wrapLength, string newLine, bool wrapLongWords)
    {
        if (str.Length == 0)
        {
            return string.Empty;
        }

        byte[] s = Utf8(str);
        byte[] nl = Utf8(newLine.Length == 0 ? "\n" : newLine);
        wrapLength = Math.Max(wrapLength, 1);
        var b = new List<byte>(s.Length + 16);
        int offset = 0;
        while (s.Length - offset > wrapLength)
        {
            if (s[offset] == ' ')
            {
                offset++;
                continue;
            }

            int spaceToWrapAt = s.AsSpan(offset, wrapLength + 1).LastIndexOf((byte)' ') + offset;
            if (spaceToWrapAt >= offset)
            {
                b.AddRange(s.AsSpan(offset, spaceToWrapAt - offset));
                b.AddRange(nl);
                offset = spaceToWrapAt + 1;
            }
            else if (wrapLongWords)
            {
                b.AddRange(s.AsSpan(offset, wrapLength));
                b.AddRange(nl);
                offset += wrapLength;
            }
            else
            {
                int end = wrapLength + offset;
                int index = s.AsSpan(end).IndexOf((byte)' ');
                if (index == -1)
                {
                    b.AddRange(s.AsSpan(offset));
                    offset = s.Length;
                }
                else
                {
                    spaceToWrapAt = index + end;
                    b.AddRange(s.AsSpan(offset, spaceToWrapAt - offset));
                    b.AddRange(nl);
                    offset = spaceToWrapAt + 1;
                }
            }
        }

        b.AddRange(s.AsSpan(offset));
        return FromUtf8(b.ToArray());
    }
}
