using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

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
        m["seq"] = Fn("seq", "...int", a => Seq([.. a.Select(x => (int)x!)]));
        m["until"] = Fn("until", "int", a => UntilStep(0, (int)a[0]!, (int)a[0]! < 0 ? -1 : 1));
        m["untilStep"] = Fn("untilStep", "int int int", a => UntilStep((int)a[0]!, (int)a[1]!, (int)a[2]!));
        m["typeOf"] = Fn("typeOf", "any", a => GoFmt.TypeName(a[0]));
        m["typeIs"] = Fn("typeIs", "string any", a => (string)a[0]! == GoFmt.TypeName(a[1]));
        m["typeIsLike"] = Fn("typeIsLike", "string any", a => (string)a[0]! == GoFmt.TypeName(a[1]) || "*" + (string)a[0]! == GoFmt.TypeName(a[1]));
        m["kindOf"] = Fn("kindOf", "any", a => KindOf(a[0]));
        m["kindIs"] = Fn("kindIs", "string any", a => (string)a[0]! == KindOf(a[1]));
        m["deepEqual"] = Fn("deepEqual", "any any", a => DeepEqual(a[0], a[1]));
    }

    private static void AddMath(Dictionary<string, GoFunction> m)
    {
        m["add1"] = Fn("add1", "any", a => ToInt64(a[0]) + 1);
        m["add"] = Fn("add", "...any", a => a.Aggregate(0L, (acc, x) => acc + ToInt64(x)));
        m["sub"] = Fn("sub", "any any", a => ToInt64(a[0]) - ToInt64(a[1]));
        m["div"] = Fn("div", "any any", a => ToInt64(a[0]) / ToInt64(a[1]));
        m["mod"] = Fn("mod", "any any", a => ToInt64(a[0]) % ToInt64(a[1]));
        m["mul"] = Fn("mul", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => acc * ToInt64(x)));
        m["randInt"] = Fn("randInt", "int int", a => (int)a[1]! <= (int)a[0]! ? throw new GoFunctionException("invalid argument to Intn") : RandomNumberGenerator.GetInt32((int)a[0]!, (int)a[1]!));
        m["add1f"] = Fn("add1f", "any", a => (double)(Dec(a[0]) + 1));
        m["addf"] = Fn("addf", "...any", a => (double)a.Aggregate(0m, (acc, x) => acc + Dec(x)));
        m["subf"] = Fn("subf", "any ...any", a => (double)a.Skip(1).Aggregate(Dec(a[0]), (acc, x) => acc - Dec(x)));
        m["mulf"] = Fn("mulf", "any ...any", a => (double)a.Skip(1).Aggregate(Dec(a[0]), (acc, x) => acc * Dec(x)));
        m["divf"] = Fn("divf", "any ...any", a => (double)a.Skip(1).Aggregate(Dec(a[0]), (acc, x) => Dec(x) == 0 ? throw new GoFunctionException("decimal division by 0") : Math.Round(acc / Dec(x), 16)));
        m["biggest"] = m["max"] = Fn("max", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => Math.Max(acc, ToInt64(x))));
        m["min"] = Fn("min", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => Math.Min(acc, ToInt64(x))));
        m["maxf"] = Fn("maxf", "any ...any", a => a.Skip(1).Aggregate(ToFloat64(a[0]), (acc, x) => Math.Max(acc, ToFloat64(x))));
        m["minf"] = Fn("minf", "any ...any", a => a.Skip(1).Aggregate(ToFloat64(a[0]), (acc, x) => Math.Min(acc, ToFloat64(x))));
        m["ceil"] = Fn("ceil", "any", a => Math.Ceiling(ToFloat64(a[0])));
        m["floor"] = Fn("floor", "any", a => Math.Floor(ToFloat64(a[0])));
        m["round"] = Fn("round", "any int ...any", a => Round(ToFloat64(a[0]), (int)a[1]!, a.Length > 2 ? ToFloat64(a[2]) : 0.5));
    }

    private static decimal Dec(object? v)
    {
        double d = ToFloat64(v);
        return double.IsFinite(d) && Math.Abs(d) < 7.9e27 ? (decimal)d : throw new GoFunctionException($"can't convert {GoFmt.ToString(v)} to decimal");
    }

    // Sprig's round: half away from zero by default, or at the given fraction.
    private static double Round(double a, int p, double roundOn)
    {
        double pow = Math.Pow(10, p);
        double digit = pow * a;
        double intPart = Math.Truncate(digit);
        double div = digit - intPart;
        double round = div >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
        return round / pow;
    }

    private static string Seq(int[] p)
    {
        int start = 1, stop, step = 1;
        switch (p.Length)
        {
            case 0:
                return string.Empty;
            case 1:
                stop = p[0];
                if (stop < start)
                {
                    step = -1;
                }

                break;
            case 2:
                start = p[0];
                stop = p[1];
                if (stop < start)
                {
                    step = -1;
                }

                break;
            case 3:
                start = p[0];
                step = p[1];
                stop = p[2];
                break;
            default:
                return string.Empty;
        }

        var values = new List<int>();
        if (step > 0 && start <= stop)
        {
            for (int i = start; i <= stop; i += step)
            {
                values.Add(i);
            }
        }
        else if (step < 0 && start >= stop)
        {
            for (int i = start; i >= stop; i += step)
            {
                values.Add(i);
            }
        }

        return string.Join(" ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    private static List<object?> UntilStep(int start, int stop, int step)
    {
        var v = new List<object?>();
        if (stop < start)
        {
            if (step >= 0)
            {
                return v;
            }

            for (int i = start; i > stop; i += step)
            {
                v.Add(i);
            }

            return v;
        }

        if (step <= 0)
        {
            return v;
        }

        for (int i = start; i < stop; i += step)
        {
            v.Add(i);
        }

        return v;
    }

    internal static string KindOf(object? v) => v switch
    {
        null => "invalid",
        string => "string",
        bool => "bool",
        long => "int64",
        int => "int",
        double => "float64",
        byte => "uint8",
        IDictionary<string, object?> => "map",
        IList<object?> => "slice",
        GoFunction => "func",
        Lookout.Values.Time.GoDuration => "int64",
        _ => "struct",
    };

    internal static bool DeepEqual(object? x, object? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        if (x.GetType() != y.GetType())
        {
            return false;
        }

        return (x, y) switch
        {
            (IDictionary<string, object?> a, IDictionary<string, object?> b) => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out object? other) && DeepEqual(kv.Value, other)),
            (IList<object?> a, IList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => DeepEqual(p.First, p.Second)),
            _ => x.Equals(y),
        };
    }

    private static void AddEncoding(Dictionary<string, GoFunction> m)
    {
        m["b64enc"] = Fn("b64enc", "string", a => Convert.ToBase64String(Encoding.UTF8.GetBytes((string)a[0]!)));
        m["b64dec"] = Fn("b64dec", "string", a =>
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String((string)a[0]!));
            }
            catch (FormatException)
            {
                return "illegal base64 data at input byte " + IllegalBase64Offset((string)a[0]!).ToString(CultureInfo.InvariantCulture);
            }
        });
        m["b32enc"] = Fn("b32enc", "string", a => Base32Encode(Encoding.UTF8.GetBytes((string)a[0]!)));
        m["b32dec"] = Fn("b32dec", "string", a => Base32Decode((string)a[0]!));
    }

    private static int IllegalBase64Offset(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/' || c == '='))
            {
                return i;
            }
        }

        return s.Length - (s.Length % 4);
    }

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static string Base32Encode(byte[] data)
    {
        var b = new StringBuilder();
        for (int i = 0; i < data.Length; i += 5)
        {
            int n = Math.Min(5, data.Length - i);
            ulong buffer = 0;
            for (int j = 0; j < 5; j++)
            {
                buffer = (buffer << 8) | (j < n ? data[i + j] : 0UL);
            }

            int chars = (int)Math.Ceiling(n * 8 / 5.0);
            for (int j = 0; j < 8; j++)
            {
                b.Append(j < chars ? Base32Alphabet[(int)((buffer >> (35 - (j * 5))) & 31)] : '=');
            }
        }

        return b.ToString();
    }

    private static string Base32Decode(string s)
    {
        string t = s.TrimEnd('=');
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (char c in t)
        {
            int v = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                return $"illegal base32 data at input byte {t.IndexOf(c, StringComparison.Ordinal)}";
            }

            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
