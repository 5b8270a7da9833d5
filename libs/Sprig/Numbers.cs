using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's numeric.go: integer math, float math on shopspring decimal, and integer slices (seq, until, untilStep).</summary>
public static partial class SprigFunctions
{
    private static void AddMath(Dictionary<string, GoFunction> m)
    {
        m["add1"] = Fn("add1", "any", a => unchecked(ToInt64(a[0]) + 1));
        m["add"] = Fn("add", "...any", a => a.Aggregate(0L, (acc, x) => unchecked(acc + ToInt64(x))));
        m["sub"] = Fn("sub", "any any", a => unchecked(ToInt64(a[0]) - ToInt64(a[1])));
        m["div"] = Fn("div", "any any", a => Divide(ToInt64(a[0]), ToInt64(a[1]), remainder: false));
        m["mod"] = Fn("mod", "any any", a => Divide(ToInt64(a[0]), ToInt64(a[1]), remainder: true));
        m["mul"] = Fn("mul", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => unchecked(acc * ToInt64(x))));
        m["randInt"] = Fn("randInt", "int int", a => (int)a[1]! <= (int)a[0]! ? throw new GoFunctionException("invalid argument to Intn") : RandomNumberGenerator.GetInt32((int)a[0]!, (int)a[1]!));
        m["add1f"] = Fn("add1f", "any", a => DecimalOp(a[0], [1], GoDecimal.Add));
        m["addf"] = Fn("addf", "...any", a => DecimalOp(0.0, a, GoDecimal.Add));
        m["subf"] = Fn("subf", "any ...any", a => DecimalOp(a[0], a[1..], GoDecimal.Subtract));
        m["mulf"] = Fn("mulf", "any ...any", a => DecimalOp(a[0], a[1..], GoDecimal.Multiply));
        m["divf"] = Fn("divf", "any ...any", a => DecimalOp(a[0], a[1..], GoDecimal.Divide));
        m["biggest"] = m["max"] = Fn("max", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => Math.Max(acc, ToInt64(x))));
        m["min"] = Fn("min", "any ...any", a => a.Skip(1).Aggregate(ToInt64(a[0]), (acc, x) => Math.Min(acc, ToInt64(x))));
        m["maxf"] = Fn("maxf", "any ...any", a => a.Skip(1).Aggregate(ToFloat64(a[0]), (acc, x) => Math.Max(acc, ToFloat64(x))));
        m["minf"] = Fn("minf", "any ...any", a => a.Skip(1).Aggregate(ToFloat64(a[0]), (acc, x) => Math.Min(acc, ToFloat64(x))));
        m["ceil"] = Fn("ceil", "any", a => Math.Ceiling(ToFloat64(a[0])));
        m["floor"] = Fn("floor", "any", a => Math.Floor(ToFloat64(a[0])));
        m["round"] = Fn("round", "any int ...float64", a => Round(ToFloat64(a[0]), (int)a[1]!, a.Length > 2 ? (double)a[2]! : 0.5));
    }

    private static void AddIntegerSlices(Dictionary<string, GoFunction> m)
    {
        m["seq"] = Fn("seq", "...int", a => Seq([.. a.Select(x => (int)x!)]));
        m["until"] = Fn("until", "int", a => UntilStep(0, (int)a[0]!, (int)a[0]! < 0 ? -1 : 1));
        m["untilStep"] = Fn("untilStep", "int int int", a => UntilStep((int)a[0]!, (int)a[1]!, (int)a[2]!));
    }

    // Go's integer division: by zero panics; the minimum int64 divided by -1 wraps instead of trapping.
    private static long Divide(long a, long b, bool remainder) => b switch
    {
        0 => throw new GoFunctionException("runtime error: integer divide by zero"),
        -1 => remainder ? 0 : unchecked(-a),
        _ => remainder ? a % b : a / b,
    };

    // Sprig's execDecimalOp: each operand through cast.ToFloat64 and decimal.NewFromFloat, the result back to float64.
    private static double DecimalOp(object? first, object?[] rest, Func<GoDecimal, GoDecimal, GoDecimal> op)
    {
        GoDecimal result = GoDecimal.FromFloat(ToFloat64(first));
        foreach (object? x in rest)
        {
            result = op(result, GoDecimal.FromFloat(ToFloat64(x)));
        }

        return result.ToFloat64();
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

    // Sprig's seq: 1..n, start..end, or start, step, end; the end is included.
    private static string Seq(int[] p)
    {
        List<object?> values;
        switch (p.Length)
        {
            case 1:
                {
                    int increment = p[0] < 1 ? -1 : 1;
                    values = UntilStep(1, (long)p[0] + increment, increment);
                    break;
                }

            case 2:
                {
                    int step = p[1] < p[0] ? -1 : 1;
                    values = UntilStep(p[0], (long)p[1] + step, step);
                    break;
                }

            case 3:
                {
                    int increment = 1;
                    if (p[2] < p[0])
                    {
                        increment = -1;
                        if (p[1] > 0)
                        {
                            return string.Empty;
                        }
                    }

                    values = UntilStep(p[0], (long)p[2] + increment, p[1]);
                    break;
                }

            default:
                return string.Empty;
        }

        return string.Join(" ", values.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)));
    }

    private static List<object?> UntilStep(long start, long stop, long step)
    {
        var v = new GoTypedList("int");
        if (stop < start)
        {
            if (step >= 0)
            {
                return v;
            }

            for (long i = start; i > stop; i += step)
            {
                v.Add(GoInt(i));
            }

            return v;
        }

        if (step <= 0)
        {
            return v;
        }

        for (long i = start; i < stop; i += step)
        {
            v.Add(GoInt(i));
        }

        return v;
    }

    /// <summary>
    /// shopspring/decimal's arbitrary-precision decimal, as much of it as Sprig's float functions use: exact sums,
    /// differences and products, and quotients rounded half away from zero to 16 places.
    /// </summary>
    private readonly record struct GoDecimal(BigInteger Mantissa, int Exponent)
    {
        private const int DivisionPrecision = 16;

        /// <summary><c>decimal.NewFromFloat</c>: the shortest decimal that reads back as the same float.</summary>
        public static GoDecimal FromFloat(double d)
        {
            if (!double.IsFinite(d))
            {
                throw new GoFunctionException($"Cannot create a Decimal from {GoStrconv.FormatFloat(d, 'g', -1)}");
            }

            string r = d.ToString("R", CultureInfo.InvariantCulture);
            int e = r.IndexOfAny(['E', 'e']);
            int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            string digits = e < 0 ? r : r[..e];
            int dot = digits.IndexOf('.', StringComparison.Ordinal);
            if (dot >= 0)
            {
                exponent -= digits.Length - dot - 1;
                digits = digits.Remove(dot, 1);
            }

            return new GoDecimal(BigInteger.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), exponent);
        }

        public static GoDecimal Add(GoDecimal a, GoDecimal b)
        {
            int e = Math.Min(a.Exponent, b.Exponent);
            return new GoDecimal((a.Mantissa * BigInteger.Pow(10, a.Exponent - e)) + (b.Mantissa * BigInteger.Pow(10, b.Exponent - e)), e);
        }

        public static GoDecimal Subtract(GoDecimal a, GoDecimal b) => Add(a, new GoDecimal(-b.Mantissa, b.Exponent));

        public static GoDecimal Multiply(GoDecimal a, GoDecimal b) => new(a.Mantissa * b.Mantissa, a.Exponent + b.Exponent);

        public static GoDecimal Divide(GoDecimal a, GoDecimal b)
        {
            if (b.Mantissa.IsZero)
            {
                throw new GoFunctionException("decimal division by 0");
            }

            // round(a / b * 10^16), half away from zero, as an integer count of 10^-16.
            int k = a.Exponent - b.Exponent + DivisionPrecision;
            BigInteger num = BigInteger.Abs(a.Mantissa) * (k > 0 ? BigInteger.Pow(10, k) : BigInteger.One);
            BigInteger den = BigInteger.Abs(b.Mantissa) * (k < 0 ? BigInteger.Pow(10, -k) : BigInteger.One);
            BigInteger q = BigInteger.DivRem(num, den, out BigInteger rem);
            if (rem * 2 >= den)
            {
                q += 1;
            }

            return new GoDecimal(a.Mantissa.Sign * b.Mantissa.Sign < 0 ? -q : q, -DivisionPrecision);
        }

        /// <summary><c>Decimal.Float64</c>: the nearest float; zero is never negative.</summary>
        public double ToFloat64()
        {
            string text = Mantissa.ToString(CultureInfo.InvariantCulture) + "E" + Exponent.ToString(CultureInfo.InvariantCulture);
            double d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return d + 0.0;
        }
    }
}
