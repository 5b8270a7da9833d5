using System.Globalization;
using System.Text;

namespace Lookout.Sprig;

/// <summary>
/// huandu/xstrings 1.5's case conversions, which Sprig's <c>camelcase</c> (<c>ToPascalCase</c>), <c>snakecase</c> and
/// <c>kebabcase</c> call: words split at connectors (<c>-</c>, <c>_</c>, white space), punctuation, case changes and
/// the edges of numbers, with xstrings' own rules for acronyms and digits.
/// </summary>
internal static class XStrings
{
    private enum WordType
    {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    /// <summary><c>ToPascalCase</c>: each word's first rune upper case; a word that starts upper case keeps its first rune and lowers the upper-case run after it (<c>GOLANG_IS_GREAT</c> → <c>GolangIsGreat</c>).</summary>
    public static string ToPascalCase(string str)
    {
        if (str.Length == 0)
        {
            return string.Empty;
        }

        Rune[] runes = [.. str.EnumerateRunes()];
        var b = new StringBuilder(str.Length);
        int i = 0;
        Rune r0 = default;
        bool isFirstRuneUpper = false;
        bool found = false;

        // Leading connectors appear in the output.
        while (i < runes.Length)
        {
            r0 = runes[i++];
            if (!IsConnector(r0))
            {
                isFirstRuneUpper = Rune.IsUpper(r0);
                r0 = Rune.ToUpperInvariant(r0);
                found = true;
                break;
            }

            b.Append(r0.ToString());
        }

        if (i == runes.Length)
        {
            if (found)
            {
                b.Append(r0.ToString());
            }

            return b.ToString();
        }

        while (i < runes.Length)
        {
            Rune r1 = r0;
            r0 = runes[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                b.Append(r1.ToString());
                continue;
            }

            if (IsConnector(r1))
            {
                isFirstRuneUpper = Rune.IsUpper(r0);
                r0 = Rune.ToUpperInvariant(r0);
            }
            else
            {
                if (isFirstRuneUpper)
                {
                    if (Rune.IsUpper(r0))
                    {
                        r0 = Rune.ToLowerInvariant(r0);
                    }
                    else
                    {
                        isFirstRuneUpper = false;
                    }
                }

                b.Append(r1.ToString());
            }
        }

        b.Append(r0.ToString());
        return b.ToString();
    }

    /// <summary><c>ToSnakeCase</c>.</summary>
    public static string ToSnakeCase(string str) => CamelCaseToLowerCase(str, '_');

    /// <summary><c>ToKebabCase</c>.</summary>
    public static string ToKebabCase(string str) => CamelCaseToLowerCase(str, '-');

    private static string CamelCaseToLowerCase(string str, char connector)
    {
        if (str.Length == 0)
        {
            return string.Empty;
        }

        var b = new StringBuilder(str.Length + 8);
        Rune[] runes = [.. str.EnumerateRunes()];
        int pos = 0;
        (WordType wt, int start, int end) = NextWord(runes, pos);
        pos = end;
        while (pos < runes.Length)
        {
            if (wt != WordType.Connector)
            {
                ToLower(b, wt, runes, start, end, connector);
            }

            WordType prev = wt;
            (int lastStart, int lastEnd) = (start, end);
            (wt, start, end) = NextWord(runes, pos);
            pos = end;
            switch (prev)
            {
                case WordType.Number:
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        ToLower(b, wt, runes, start, end, connector);
                        (wt, start, end) = NextWord(runes, pos);
                        pos = end;
                    }

                    if (wt is not WordType.Invalid and not WordType.Punct and not WordType.Connector)
                    {
                        b.Append(connector);
                    }

                    break;
                case WordType.Connector:
                    ToLower(b, prev, runes, lastStart, lastEnd, connector);
                    break;
                case WordType.Punct:
                    break;
                default:
                    if (wt != WordType.Number)
                    {
                        if (wt is not WordType.Connector and not WordType.Punct)
                        {
                            b.Append(connector);
                        }

                        break;
                    }

                    if (pos >= runes.Length)
                    {
                        break;
                    }

                    (int numStart, int numEnd) = (start, end);
                    (wt, start, end) = NextWord(runes, pos);
                    pos = end;
                    if (wt != WordType.Alphabet)
                    {
                        ToLower(b, WordType.Number, runes, numStart, numEnd, connector);
                        if (wt is not WordType.Connector and not WordType.Punct)
                        {
                            b.Append(connector);
                        }

                        break;
                    }

                    b.Append(connector);
                    ToLower(b, WordType.Number, runes, numStart, numEnd, connector);
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        ToLower(b, wt, runes, start, end, connector);
                        (wt, start, end) = NextWord(runes, pos);
                        pos = end;
                    }

                    if (wt is not WordType.Invalid and not WordType.Connector and not WordType.Punct)
                    {
                        b.Append(connector);
                    }

                    break;
            }
        }

        ToLower(b, wt, runes, start, end, connector);
        return b.ToString();
    }

    // The next word from pos: its type and its rune range. At the end: Invalid and an empty range.
    private static (WordType Type, int Start, int End) NextWord(Rune[] runes, int pos)
    {
        if (pos >= runes.Length)
        {
            return (WordType.Invalid, pos, pos);
        }

        int start = pos;
        Rune r = runes[pos++];
        WordType wt;
        if (IsConnector(r))
        {
            wt = WordType.Connector;
            while (pos < runes.Length && IsConnector(runes[pos]))
            {
                pos++;
            }
        }
        else if (IsPunct(r))
        {
            wt = WordType.Punct;
            while (pos < runes.Length && IsPunct(runes[pos]))
            {
                pos++;
            }
        }
        else if (Rune.IsUpper(r))
        {
            wt = WordType.UpperCase;
            if (pos < runes.Length)
            {
                r = runes[pos];
                if (Rune.IsUpper(r))
                {
                    pos++;
                    while (pos < runes.Length && Rune.IsUpper(runes[pos]))
                    {
                        pos++;
                    }

                    // An acronym followed by a word: its last upper-case rune starts that word (HTTPServer).
                    if (pos < runes.Length && IsAlphabet(runes[pos]))
                    {
                        pos--;
                    }
                }
                else if (IsAlphabet(r))
                {
                    pos++;
                    while (pos < runes.Length && IsAlphabet(runes[pos]) && !Rune.IsUpper(runes[pos]))
                    {
                        pos++;
                    }
                }
            }
        }
        else if (IsAlphabet(r))
        {
            wt = WordType.Alphabet;
            while (pos < runes.Length && IsAlphabet(runes[pos]) && !Rune.IsUpper(runes[pos]))
            {
                pos++;
            }
        }
        else if (IsNumber(r))
        {
            wt = WordType.Number;
            while (pos < runes.Length && IsNumber(runes[pos]))
            {
                pos++;
            }
        }
        else
        {
            wt = WordType.Other;
            while (pos < runes.Length && !IsConnector(runes[pos]) && !IsAlphabet(runes[pos]) && !IsNumber(runes[pos]) && !IsPunct(runes[pos]))
            {
                pos++;
            }
        }

        return (wt, start, pos);
    }

    private static void ToLower(StringBuilder b, WordType wt, Rune[] runes, int start, int end, char connector)
    {
        for (int i = start; i < end; i++)
        {
            Rune r = runes[i];
            if (wt is not WordType.UpperCase and not WordType.Connector)
            {
                b.Append(r.ToString());
            }
            else if (IsConnector(r))
            {
                b.Append(connector);
            }
            else
            {
                b.Append((Rune.IsUpper(r) ? Rune.ToLowerInvariant(r) : r).ToString());
            }
        }
    }

    private static bool IsConnector(Rune r) => r.Value is '-' or '_' || SprigFunctions.IsGoSpace(r.Value);

    private static bool IsPunct(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
        or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    // xstrings' isAlphabet: a letter that is not a CJK ideograph.
    private static bool IsAlphabet(Rune r)
    {
        if (!Rune.IsLetter(r))
        {
            return false;
        }

        int v = r.Value;
        return !(v is >= 0x4E00 and <= 0x9FCC or >= 0x3400 and <= 0x4D85 or >= 0x20000 and <= 0x2B81D);
    }
}
