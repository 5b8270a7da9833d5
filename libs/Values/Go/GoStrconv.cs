using System.Globalization;
using System.Text;

namespace Lookout.Values;

/// <summary>
/// Go's <c>strconv</c> as the engines print with it: <c>Quote</c> and <c>FormatFloat</c> (shortest and fixed
/// precision, <c>%b</c> and <c>%x</c> floats), so a float or a quoted string reads the same in expr, templates and
/// Sprig. <see cref="GoFmt"/> builds its verbs on these.
/// </summary>
public static class GoStrconv
{
    /// <summary>Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string s, bool asciiOnly = false)
    {
        ArgumentNullException.ThrowIfNull(s);
        var b = new StringBuilder(s.Length + 2);
        b.Append('"');
        AppendQuoted(b, s, '"', asciiOnly);
        b.Append('"');
        return b.ToString();
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, fmt, prec, 64)</c> for the formats <c>e E f F g G</c>.</summary>
    public static string FormatFloat(double v, char fmt, int prec)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "+Inf" : "-Inf";
        }

        bool negative = v < 0 || (v == 0 && double.IsNegative(v));
        double a = Math.Abs(v);
        string body;
        switch (fmt)
        {
            case 'f' or 'F':
                body = prec < 0 ? FixedShortest(a) : a.ToString("F" + prec.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                break;
            case 'e' or 'E':
                {
                    (string digits, int exp) = prec < 0 ? Shortest(a) : Rounded(a, prec + 1);
                    body = Exponent(digits, exp, prec < 0 ? digits.Length - 1 : prec, fmt);
                    break;
                }

            case 'g' or 'G':
                {
                    // strconv's %g: digits without trailing zeros (nd), decimal point position (dp).
                    bool shortest = prec < 0;
                    (string digits, int exp) = shortest ? Shortest(a) : Rounded(a, prec == 0 ? 1 : prec);
                    digits = TrimZeros(digits);
                    int nd = digits.Length;
                    int dp = exp + 1;
                    int p = shortest ? nd : (prec == 0 ? 1 : prec);
                    int eprec = p;
                    if (eprec > nd && nd >= dp)
                    {
                        eprec = nd;
                    }

                    if (shortest)
                    {
                        eprec = 6;
                    }

                    if (exp < -4 || exp >= eprec)
                    {
                        if (p > nd)
                        {
                            p = nd;
                        }

                        body = Exponent(digits, exp, p - 1, fmt == 'g' ? 'e' : 'E');
                    }
                    else
                    {
                        if (p > dp)
                        {
                            p = nd;
                        }

                        body = Fixed(digits, exp, Math.Max(p - dp, 0));
                    }

                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(fmt), fmt, "unsupported float format");
        }

        return negative ? "-" + body : body;
    }

    // Shortest decimal digits that round-trip, and the exponent of the first digit (d.ddd × 10^exp).
    private static (string Digits, int Exp) Shortest(double a) =>
        a == 0 ? ("0", 0) : Decompose(a.ToString("R", CultureInfo.InvariantCulture));

    private static (string Digits, int Exp) Rounded(double a, int significant)
    {
        if (a == 0)
        {
            return (new string('0', Math.Max(1, significant)), 0);
        }

        string e = a.ToString("E" + (significant - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Decompose(e);
    }

    private static (string Digits, int Exp) Decompose(string s)
    {
        int exp = 0;
        int e = s.IndexOfAny(['E', 'e']);
        string mantissa = s;
        if (e >= 0)
        {
            exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = s[..e];
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot < 0 ? mantissa : mantissa[..dot];
        string frac = dot < 0 ? string.Empty : mantissa[(dot + 1)..];
        string digits = intPart + frac;
        int pointPos = intPart.Length + exp; // digits before the decimal point
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        pointPos -= lead;
        return (digits, pointPos - 1);
    }

    private static string Exponent(string digits, int exp, int fracDigits, char e)
    {
        var b = new StringBuilder();
        b.Append(digits[0]);
        string rest = digits.Length > 1 ? digits[1..] : string.Empty;
        if (rest.Length < fracDigits)
        {
            rest = rest.PadRight(fracDigits, '0');
        }
        else if (rest.Length > fracDigits)
        {
            rest = rest[..fracDigits];
        }

        if (rest.Length > 0)
        {
            b.Append('.').Append(rest);
        }

        b.Append(e).Append(exp < 0 ? '-' : '+');
        int ax = Math.Abs(exp);
        b.Append(ax < 10 ? "0" + ax.ToString(CultureInfo.InvariantCulture) : ax.ToString(CultureInfo.InvariantCulture));
        return b.ToString();
    }

    private static string Plain(string digits, int exp)
    {
        // digits d1d2d3… with the decimal point after exp+1 digits.
        int point = exp + 1;
        if (point <= 0)
        {
            return "0." + new string('0', -point) + digits;
        }

        if (point >= digits.Length)
        {
            return digits + new string('0', point - digits.Length);
        }

        return digits[..point] + "." + digits[point..];
    }

    private static string TrimZeros(string digits)
    {
        int n = digits.Length;
        while (n > 1 && digits[n - 1] == '0')
        {
            n--;
        }

        return digits[..n];
    }

    // Digits d1d2… (point after exp+1 of them) written with exactly frac fractional digits.
    private static string Fixed(string digits, int exp, int frac)
    {
        int point = exp + 1;
        var b = new StringBuilder();
        if (point <= 0)
        {
            b.Append('0');
        }
        else
        {
            for (int i = 0; i < point; i++)
            {
                b.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        if (frac > 0)
        {
            b.Append('.');
            for (int i = 0; i < frac; i++)
            {
                int index = point + i;
                b.Append(index >= 0 && index < digits.Length ? digits[index] : '0');
            }
        }

        return b.ToString();
    }

    private static string FixedShortest(double a)
    {
        (string digits, int exp) = Shortest(a);
        return digits == "0" ? "0" : Plain(digits, exp);
    }

    internal static void AppendQuoted(StringBuilder b, string s, char quote, bool asciiOnly)
    {
        for (int i = 0; i < s.Length; i++)
        {
            int r;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else
            {
                r = s[i];
            }

            if (r == quote || r == '\\')
            {
                b.Append('\\').Append((char)r);
                continue;
            }

            if (asciiOnly ? (r < 0x80 && GoUnicode.IsPrint(r)) : GoUnicode.IsPrint(r))
            {
                b.Append(char.ConvertFromUtf32(r));
                continue;
            }

            switch (r)
            {
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\v': b.Append("\\v"); break;
                default:
                    if (r < ' ' || r == 0x7f)
                    {
                        b.Append("\\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (r is >= 0xD800 and <= 0xDFFF)
                    {
                        b.Append("\\ufffd");
                    }
                    else if (r < 0x10000)
                    {
                        b.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }
    }

    // strconv's %x of a float64 with the shortest precision: -0x1.8p+00.
    internal static string HexFloat(double v, bool upper)
    {
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            return FormatFloat(v, 'g', -1);
        }

        long bits = BitConverter.DoubleToInt64Bits(v);
        bool negative = bits < 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        string body;
        if (exp == 0 && mant == 0)
        {
            body = "0x0p+00";
        }
        else
        {
            if (exp == 0)
            {
                // Subnormal: normalize so the leading 1 is implicit.
                exp = 1;
                while ((mant & (1L << 52)) == 0)
                {
                    mant <<= 1;
                    exp--;
                }

                mant &= 0xFFFFFFFFFFFFFL;
            }

            int e = exp - 1023;
            string hex = mant.ToString("x13", CultureInfo.InvariantCulture).TrimEnd('0');
            string sign = e < 0 ? "-" : "+";
            int ae = Math.Abs(e);
            body = "0x1" + (hex.Length > 0 ? "." + hex : string.Empty) + "p" + sign + (ae < 10 ? "0" : string.Empty) + ae.ToString(CultureInfo.InvariantCulture);
        }

        if (upper)
        {
            body = body.ToUpperInvariant();
        }

        return negative ? "-" + body : body;
    }

    // strconv's %b of a float64: decimal mantissa and binary exponent, 4503599627370496p-52.
    internal static string BinaryFloat(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        bool negative = bits < 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0)
        {
            exp++;
        }
        else
        {
            mant |= 1L << 52;
        }

        exp -= 1023 + 52;
        string body = mant.ToString(CultureInfo.InvariantCulture) + "p" + (exp >= 0 ? "+" : string.Empty) + exp.ToString(CultureInfo.InvariantCulture);
        return negative ? "-" + body : body;
    }
}
