using System.Globalization;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig v3's text function map (Masterminds/sprig 3.2.3 <c>TxtFuncMap</c>) on the shared object model, minus
/// <c>env</c> and <c>expandenv</c> (as notifications-engine removes them) and the functions that reach outside the
/// process (<c>getHostByName</c>) or generate keys and certificates. Parameters carry Sprig's Go types, so the
/// template engine rejects a wrongly typed argument as Go does.
/// </summary>
public static partial class SprigFunctions
{
    /// <summary>The function map; <paramref name="time"/> drives <c>now</c>, <c>ago</c> and friends (default: the system clock).</summary>
    public static IReadOnlyDictionary<string, GoFunction> Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var map = new Dictionary<string, GoFunction>(StringComparer.Ordinal);
        AddStrings(map);
        AddConversions(map);
        AddMath(map);
        AddDefaults(map);
        AddLists(map);
        AddDicts(map);
        AddEncoding(map);
        AddPaths(map);
        AddRegex(map);
        AddDates(map, time);
        AddSemver(map);
        AddUrls(map);
        map["hello"] = Fn("hello", string.Empty, _ => "Hello!");
        map["fail"] = Fn("fail", "string", a => throw new GoFunctionException((string)a[0]!));
        return map;
    }

    /// <summary>
    /// A function with a Go signature: space-separated parameter types (<c>string int any map time bool</c>), the last
    /// prefixed with <c>...</c> when variadic.
    /// </summary>
    internal static GoFunction Fn(string name, string signature, Func<object?[], object?> invoke)
    {
        string[] types = signature.Length == 0 ? [] : signature.Split(' ');
        bool variadic = types.Length > 0 && types[^1].StartsWith("...", StringComparison.Ordinal);
        if (variadic)
        {
            types[^1] = types[^1][3..];
        }

        int fixedCount = variadic ? types.Length - 1 : types.Length;
        return new GoFunction(name, fixedCount, variadic ? -1 : fixedCount, args =>
        {
            try
            {
                return invoke(args);
            }
            catch (GoFunctionException)
            {
                throw;
            }
            catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or OverflowException or DivideByZeroException or IndexOutOfRangeException or KeyNotFoundException or InvalidOperationException)
            {
                // Go panics here; text/template reports the panic as the call's error.
                throw new GoFunctionException(ex is DivideByZeroException ? "runtime error: integer divide by zero" : ex.Message);
            }
        })
        { ParamTypes = types };
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

    /// <summary>Sprig's <c>empty</c>: nil, zero, false, and empty strings, lists and maps.</summary>
    internal static bool Empty(object? v) => v switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        long l => l == 0,
        int i => i == 0,
        short s => s == 0,
        sbyte s => s == 0,
        byte b => b == 0,
        ushort u => u == 0,
        uint u => u == 0,
        ulong u => u == 0,
        double d => d == 0,
        float f => f == 0,
        ICollection<KeyValuePair<string, object?>> m => m.Count == 0,
        IList<object?> list => list.Count == 0,
        IList<string> list => list.Count == 0,
        _ => false,
    };

    /// <summary>Sprig's <c>strslice</c>: a list's elements as strings (nil elements dropped), or the value alone.</summary>
    internal static List<string> StrSlice(object? v) => v switch
    {
        IList<string> strings => [.. strings],
        IList<object?> list => [.. list.Where(x => x is not null).Select(Strval)],
        null => [],
        _ => [Strval(v)],
    };

    internal static IList<object?> AsList(object? v, string function) => v switch
    {
        IList<object?> list => list,
        IList<string> strings => [.. strings.Cast<object?>()],
        _ => throw new GoFunctionException($"Cannot {function} on type {GoFmt.TypeName(v)}"),
    };
}
