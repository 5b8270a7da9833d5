using System.Globalization;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's conversion functions and spf13/cast's rules they rest on.</summary>
public static partial class SprigFunctions
{
    private static void AddConversions(Dictionary<string, GoFunction> m)
    {
        m["toString"] = Fn("toString", "any", a => Strval(a[0]));
        m["atoi"] = Fn("atoi", "string", a => int.TryParse((string)a[0]!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i) ? i : 0);
        m["int64"] = Fn("int64", "any", a => ToInt64(a[0]));
        m["int"] = Fn("int", "any", a => ToInt(a[0]));
        m["float64"] = Fn("float64", "any", a => ToFloat64(a[0]));
        m["toDecimal"] = Fn("toDecimal", "any", a =>
        {
            try
            {
                return Convert.ToInt64(GoFmt.Sprint([a[0]]), 8);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return 0L;
            }
        });
    }

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
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => unchecked((long)u),
        double d => double.IsNaN(d) || double.IsInfinity(d) ? long.MinValue : (long)d,
        float f => (long)f,
        bool b => b ? 1 : 0,
        string s => ParseIntBase0(TrimZeroDecimal(s), out long parsed) ? parsed : 0,
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
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => u,
        bool b => b ? 1 : 0,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0,
        _ => 0,
    };

    private static string TrimZeroDecimal(string s)
    {
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return s;
        }

        for (int i = dot + 1; i < s.Length; i++)
        {
            if (s[i] != '0')
            {
                return s;
            }
        }

        return s[..dot];
    }

    // strconv.ParseInt(s, 0, 64).
    private static bool ParseIntBase0(string s, out long value)
    {
        value = 0;
        string t = s;
        bool negative = false;
        if (t.StartsWith('-') || t.StartsWith('+'))
        {
            negative = t[0] == '-';
            t = t[1..];
        }

        int @base = 10;
        if (t.Length > 1 && t[0] == '0')
        {
            switch (char.ToLowerInvariant(t[1]))
            {
                case 'x': @base = 16; t = t[2..]; break;
                case 'o': @base = 8; t = t[2..]; break;
                case 'b': @base = 2; t = t[2..]; break;
                default: @base = 8; t = t[1..]; break;
            }
        }

        t = t.Replace("_", string.Empty, StringComparison.Ordinal);
        if (t.Length == 0)
        {
            return false;
        }

        try
        {
            ulong u = Convert.ToUInt64(t, @base);
            if (u > (negative ? 9223372036854775808UL : long.MaxValue))
            {
                return false;
            }

            value = negative ? unchecked(-(long)u) : (long)u;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}
