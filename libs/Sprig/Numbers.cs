using System.Globalization;
using System.Security.Cryptography;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's numeric.go: integer math, float math on shopspring decimal, and integer slices (seq, until, untilStep).</summary>
public static partial class SprigFunctions
{
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

    private static void AddIntegerSlices(Dictionary<string, GoFunction> m)
    {
        m["seq"] = Fn("seq", "...int", a => Seq([.. a.Select(x => (int)x!)]));
        m["until"] = Fn("until", "int", a => UntilStep(0, (int)a[0]!, (int)a[0]! < 0 ? -1 : 1));
        m["untilStep"] = Fn("untilStep", "int int int", a => UntilStep((int)a[0]!, (int)a[1]!, (int)a[2]!));
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
}
