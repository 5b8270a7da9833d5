using System.Globalization;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's conversion functions and the spf13/cast and strconv rules they rest on.</summary>
public static partial class SprigFunctions
{
    private static void AddConversions(Dictionary<string, GoFunction> m)
    {
        m["toString"] = Fn("toString", "any", a => Strval(a[0]));
        m["atoi"] = Fn("atoi", "string", a => GoInt(ParseInt((string)a[0]!, 10, out long v) ? v : 0));
        m["int64"] = Fn("int64", "any", a => ToInt64(a[0]));
        m["int"] = Fn("int", "any", a => GoInt(ToInt64(a[0])));
        m["float64"] = Fn("float64", "any", a => ToFloat64(a[0]));
        m["toDecimal"] = Fn("toDecimal", "any", a => ParseInt(GoFmt.Sprint([a[0]]), 8, out long v) ? v : 0L);
    }

    /// <summary>A Go <c>int</c> result (64 bits wide, as <see cref="GoTypes.Int"/> holds it).</summary>
    internal static object GoInt(long v) => GoTypes.Int(v);

    /// <summary>Sprig's <c>strval</c>: strings as they are, anything else as <c>fmt.Sprintf("%v")</c>.</summary>
    internal static string Strval(object? v) => v switch
    {
        string s => s,
        IGoObject o => o.ToString() ?? string.Empty,
        _ => GoFmt.Sprintf("%v", [v]),
    };

    /// <summary>spf13/cast's <c>ToInt64</c> (errors become 0).</summary>
    internal static long ToInt64(object? v) => v switch
    {
        null => 0,
        long l => l,
        int i => i,
        nint n => n,
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => unchecked((long)u),
        double d => GoFloatToInt64(d),
        float f => GoFloatToInt64(f),
        bool b => b ? 1 : 0,
        string s => ParseInt(TrimZeroDecimal(s), 0, out long parsed) ? parsed : 0,
        _ => 0,
    };

    /// <summary>spf13/cast's <c>ToInt</c>.</summary>
    internal static int ToInt(object? v) => unchecked((int)ToInt64(v));

    /// <summary>spf13/cast's <c>ToFloat64</c> (errors become 0).</summary>
    internal static double ToFloat64(object? v) => v switch
    {
        null => 0,
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        nint n => n,
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => u,
        bool b => b ? 1 : 0,
        string s => ParseFloat(s, out double d) ? d : 0,
        _ => 0,
    };

    // Go's float-to-int64 conversion on amd64: NaN and values out of range give the minimum int64.
    private static long GoFloatToInt64(double d) =>
        double.IsNaN(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0 ? long.MinValue : (long)d;

    // cast's trimZeroDecimal: "12.00" becomes "12"; anything else stays.
    private static string TrimZeroDecimal(string s)
    {
        bool foundZero = false;
        for (int i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    if (foundZero)
                    {
                        return s[..(i - 1)];
                    }

                    break;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }

        return s;
    }

    /// <summary>
    /// Go's <c>strconv.ParseInt(s, base, 64)</c>: a sign, then digits of the base; base 0 reads a <c>0x</c>,
    /// <c>0o</c>, <c>0b</c> or <c>0</c> prefix and then allows underscores between digits.
    /// </summary>
    internal static bool ParseInt(string s, int @base, out long value)
    {
        value = 0;
        ReadOnlySpan<char> t = s;
        bool negative = false;
        if (t.Length > 0 && (t[0] == '-' || t[0] == '+'))
        {
            negative = t[0] == '-';
            t = t[1..];
        }

        bool prefixed = false;
        if (@base == 0)
        {
            @base = 10;
            if (t.Length > 0 && t[0] == '0')
            {
                prefixed = true;
                if (t.Length >= 3 && (t[1] | 0x20) is 'x' or 'o' or 'b')
                {
                    @base = (t[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 };
                    t = t[2..];
                }
                else
                {
                    @base = 8;
                    t = t[1..];
                    if (t.Length == 0)
                    {
                        return true;
                    }
                }
            }
        }

        if (t.Length == 0)
        {
            return false;
        }

        ulong u = 0;
        bool sawDigit = false;
        char last = '_';
        foreach (char c in t)
        {
            if (c == '_' && prefixed)
            {
                if (last == '_' && sawDigit)
                {
                    return false;
                }

                last = c;
                continue;
            }

            int d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= @base)
            {
                return false;
            }

            if (u > (ulong.MaxValue - (ulong)d) / (ulong)@base)
            {
                return false;
            }

            u = (u * (ulong)@base) + (ulong)d;
            sawDigit = true;
            last = c;
        }

        if (!sawDigit || last == '_' || u > (negative ? 9223372036854775808UL : long.MaxValue))
        {
            return false;
        }

        value = negative ? unchecked(-(long)u) : (long)u;
        return true;
    }

    /// <summary>
    /// Go's <c>strconv.ParseFloat(s, 64)</c>: decimal and hexadecimal forms, <c>inf</c>, <c>infinity</c> and <c>nan</c>
    /// in any case; no surrounding spaces; a value out of range is an error.
    /// </summary>
    internal static bool ParseFloat(string s, out double value)
    {
        value = 0;
        ReadOnlySpan<char> t = s;
        bool negative = false;
        if (t.Length > 0 && (t[0] == '-' || t[0] == '+'))
        {
            negative = t[0] == '-';
            t = t[1..];
        }

        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase) && s.Length == 3)
        {
            value = double.NaN;
            return true;
        }

        if (t.Length > 2 && t[0] == '0' && (t[1] | 0x20) == 'x')
        {
            return ParseHexFloat(t[2..].ToString().Replace("_", string.Empty, StringComparison.Ordinal), negative, out value);
        }

        // Digits, an optional fraction, an optional exponent; underscores only with a base prefix, so none here.
        int i = 0, digits = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
            digits++;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < t.Length && (t[i] | 0x20) == 'e')
        {
            i++;
            if (i < t.Length && (t[i] == '+' || t[i] == '-'))
            {
                i++;
            }

            int expDigits = 0;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                expDigits++;
            }

            if (expDigits == 0)
            {
                return false;
            }
        }

        if (i != t.Length || !double.TryParse(t, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d))
        {
            return false;
        }

        value = negative ? -d : d;
        return true;
    }

    private static bool ParseHexFloat(string t, bool negative, out double value)
    {
        value = 0;
        int p = t.IndexOfAny(['p', 'P']);
        string mantissa = p < 0 ? t : t[..p];
        int exponent = 0;
        if (p >= 0 && !int.TryParse(t[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return false;
        }

        if (p < 0 && mantissa.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        double m = 0;
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (char c in digits)
        {
            int d = Uri.IsHexDigit(c) ? Convert.ToInt32(c.ToString(), 16) : -1;
            if (d < 0)
            {
                return false;
            }

            m = (m * 16) + d;
        }

        if (dot >= 0)
        {
            exponent -= 4 * (digits.Length - dot);
        }

        value = m * Math.Pow(2, exponent);
        if (double.IsInfinity(value))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }
}
