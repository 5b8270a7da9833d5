using System.Globalization;

namespace Lookout.Values;

/// <summary>Go's <c>unicode</c> and <c>unicode/utf8</c> questions the printers ask of runes.</summary>
public static class GoUnicode
{
    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r == ' ')
        {
            return true;
        }

        if (r is >= 0xD800 and <= 0xDFFF)
        {
            return false;
        }

        UnicodeCategory c = CharUnicodeInfo.GetUnicodeCategory(r);
        return c switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>The number of runes (code points) in a string, a lone surrogate counting as one.</summary>
    public static int RuneCount(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (!(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
            {
                n++;
            }
        }

        return n;
    }
}
