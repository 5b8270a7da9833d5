using System.Globalization;
using System.Text;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Expr;

/// <summary>A run-time failure inside an operation; the compiled node that caught it adds the position.</summary>
internal sealed class ExprRuntimeError : Exception
{
    public ExprRuntimeError()
    {
    }

    public ExprRuntimeError(string message)
        : base(message)
    {
    }

    public ExprRuntimeError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// expr-lang's run-time operations (vm/runtime) on the shared object model: long is Go's int, double is float64,
/// lists are []interface{}, string-keyed dictionaries are map[string]interface{}.
/// </summary>
internal static class Runtime
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static object Box(bool b) => b ? True : False;

    public static ExprRuntimeError Fail(string message) => new(message);

    /// <summary>Go's <c>%T</c> of a value, as expr's messages print it.</summary>
    public static string GoType(object? v) => GoTypes.Name(v);

    public static bool IsNumber(object? v) => v is long or double;

    public static double ToFloat(object? v) => v switch
    {
        long l => l,
        double d => d,
        _ => throw Fail($"invalid operation: float({GoType(v)})"),
    };

    public static long ToInt(object? v) => v switch
    {
        long l => l,
        double d => DoubleToInt(d),
        _ => throw Fail($"invalid operation: int({GoType(v)})"),
    };

    /// <summary>Go's float64-to-int conversion on amd64: out-of-range and NaN become the minimum int.</summary>
    public static long DoubleToInt(double d) =>
        double.IsNaN(d) || d >= 9.2233720368547758E+18 || d < -9.2233720368547758E+18 ? long.MinValue : (long)d;

    public static bool Equal(object? a, object? b)
    {
        switch (a)
        {
            case long x:
                return b switch
                {
                    long y1 => x == y1,
                    double y2 => x == y2,
                    _ => Fallback(a, b),
                };
            case double x:
                return b switch
                {
                    long y1 => x == y1,
                    double y2 => x == y2,
                    _ => Fallback(a, b),
                };
            case string x:
                return b is string ys ? string.Equals(x, ys, StringComparison.Ordinal) : Fallback(a, b);
            case bool x:
                return b is bool yb ? x == yb : Fallback(a, b);
            case List<object?> x when b is List<object?> yl:
                return ListsEqual(x, yl, Equal);
            case GoTime x:
                return b is GoTime yt ? x.Equals(yt) : Fallback(a, b);
            case GoDuration x:
                return b is GoDuration yd ? x.Nanoseconds == yd.Nanoseconds : Fallback(a, b);
            default:
                return Fallback(a, b);
        }
    }

    private static bool Fallback(object? a, object? b) => (a is null && b is null) || DeepEqual(a, b);

    /// <summary>Go's reflect.DeepEqual on the object model: types must match exactly.</summary>
    public static bool DeepEqual(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case ObjectMap x when b is ObjectMap y:
                return MapsEqual<string>(x, y);
            case Dictionary<object, object?> x when b is Dictionary<object, object?> y:
                return MapsEqual(x, y);
            case List<object?> x when b is List<object?> y:
                return ListsEqual(x, y, DeepEqual);
            default:
                return a.GetType() == b.GetType() && a.Equals(b);
        }
    }

    private static bool MapsEqual<TKey>(IReadOnlyDictionary<TKey, object?> x, IReadOnlyDictionary<TKey, object?> y)
        where TKey : notnull
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        EvaluationBudget.Descend("comparing values");
        try
        {
            foreach (var (k, v) in x)
            {
                if (!y.TryGetValue(k, out object? w) || !DeepEqual(v, w))
                {
                    return false;
                }
            }
        }
        finally
        {
            EvaluationBudget.Ascend();
        }

        return true;
    }

    private static bool ListsEqual(List<object?> x, List<object?> y, Func<object?, object?, bool> equal)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        EvaluationBudget.Descend("comparing values");
        try
        {
            for (int i = 0; i < x.Count; i++)
            {
                if (!equal(x[i], y[i]))
                {
                    return false;
                }
            }
        }
        finally
        {
            EvaluationBudget.Ascend();
        }

        return true;
    }

    /// <summary>-1, 0, 1 for ordered operands, or an error naming both types.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        switch (a)
        {
            case long x when b is long y:
                return x.CompareTo(y);
            case long x when b is double y:
                return CompareFloat(x, y);
            case double x when b is long y:
                return CompareFloat(x, y);
            case double x when b is double y:
                return CompareFloat(x, y);
            case string x when b is string y:
                return Math.Sign(string.CompareOrdinal(x, y));
            case GoTime x when b is GoTime y:
                return x.CompareTo(y);
            case GoDuration x when b is GoDuration y:
                return x.Nanoseconds.CompareTo(y.Nanoseconds);
            default:
                throw Fail($"invalid operation: {GoType(a)} {op} {GoType(b)}");
        }
    }

    // NaN compares false with everything: 2 is a value no caller tests for.
    private static int CompareFloat(double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? 2 : x.CompareTo(y);

    public static bool Less(object? a, object? b) => Compare(a, b, "<") is -1;

    public static bool More(object? a, object? b) => Compare(a, b, ">") is 1;

    public static bool LessOrEqual(object? a, object? b) => Compare(a, b, "<=") is -1 or 0;

    public static bool MoreOrEqual(object? a, object? b) => Compare(a, b, ">=") is 1 or 0;

    public static object Add(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => unchecked(x + y),
        (long x, double y) => x + y,
        (double x, long y) => x + y,
        (double x, double y) => x + y,
        (string x, string y) => Concat(x, y),
        (GoTime x, GoDuration y) => x.Add(y),
        (GoDuration x, GoTime y) => y.Add(x),
        (GoDuration x, GoDuration y) => new GoDuration(unchecked(x.Nanoseconds + y.Nanoseconds)),
        _ => throw Fail($"invalid operation: {GoType(a)} + {GoType(b)}"),
    };

    /// <summary>Joins two strings; halves of a character cut apart by byte slicing join up again, as Go's bytes do.</summary>
    public static string Concat(string x, string y)
    {
        EvaluationBudget.Charge((long)x.Length + y.Length);
        string joined = string.Concat(x, y);
        return HasRawBytes(x) || HasRawBytes(y) ? FromGoBytes(ToGoBytes(joined)) : joined;
    }

    /// <summary>True when a string holds bytes that are not valid UTF-8 (kept as U+DC80–U+DCFF, one per byte).</summary>
    public static bool HasRawBytes(string s) => s.AsSpan().IndexOfAnyInRange('\uDC80', '\uDCFF') >= 0;

    /// <summary>A string's bytes as Go holds them: UTF-8, with raw bytes kept by <see cref="FromGoBytes"/> restored.</summary>
    public static byte[] ToGoBytes(string s)
    {
        if (!HasRawBytes(s))
        {
            return Encoding.UTF8.GetBytes(s);
        }

        var bytes = new List<byte>(s.Length + 8);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(s[i - 1])))
            {
                bytes.Add((byte)(c - 0xDC00));
                continue;
            }

            int width = char.IsSurrogatePair(s, i) ? 2 : 1;
            int n = Encoding.UTF8.GetBytes(s.AsSpan(i, width), buffer);
            for (int k = 0; k < n; k++)
            {
                bytes.Add(buffer[k]);
            }

            i += width - 1;
        }

        return [.. bytes];
    }

    /// <summary>Bytes back to a string; a byte that is not part of valid UTF-8 is kept as U+DC80+byte, so slicing
    /// a string in the middle of a character and slicing again gives Go's bytes.</summary>
    public static string FromGoBytes(ReadOnlySpan<byte> bytes)
    {
        var b = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            System.Buffers.OperationStatus status = System.Text.Rune.DecodeFromUtf8(bytes, out System.Text.Rune rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                b.Append(rune.ToString());
                bytes = bytes[consumed..];
            }
            else
            {
                b.Append((char)(0xDC00 + bytes[0]));
                bytes = bytes[1..];
            }
        }

        return b.ToString();
    }

    public static object Subtract(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => unchecked(x - y),
        (long x, double y) => x - y,
        (double x, long y) => x - y,
        (double x, double y) => x - y,
        (GoTime x, GoTime y) => x.Sub(y),
        (GoTime x, GoDuration y) => x.Add(new GoDuration(-y.Nanoseconds)),
        (GoDuration x, GoDuration y) => new GoDuration(unchecked(x.Nanoseconds - y.Nanoseconds)),
        _ => throw Fail($"invalid operation: {GoType(a)} - {GoType(b)}"),
    };

    public static object Multiply(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => unchecked(x * y),
        (long x, double y) => x * y,
        (double x, long y) => x * y,
        (double x, double y) => x * y,
        (GoDuration x, long y) => new GoDuration(unchecked(x.Nanoseconds * y)),
        (long x, GoDuration y) => new GoDuration(unchecked(x * y.Nanoseconds)),
        (GoDuration x, double y) => new GoDuration(DoubleToInt(x.Nanoseconds * y)),
        (double x, GoDuration y) => new GoDuration(DoubleToInt(x * y.Nanoseconds)),
        (GoDuration x, GoDuration y) => new GoDuration(unchecked(x.Nanoseconds * y.Nanoseconds)),
        _ => throw Fail($"invalid operation: {GoType(a)} * {GoType(b)}"),
    };

    public static double Divide(object? a, object? b)
    {
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Fail($"invalid operation: {GoType(a)} / {GoType(b)}");
        }

        return ToFloat(a) / ToFloat(b);
    }

    public static long Modulo(object? a, object? b)
    {
        if (a is long x && b is long y)
        {
            if (y == 0)
            {
                throw Fail("integer divide by zero");
            }

            return y == -1 ? 0 : x % y;
        }

        throw Fail($"invalid operation: {GoType(a)} % {GoType(b)}");
    }

    public static double Exponent(object? a, object? b)
    {
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Fail($"invalid operation: {GoType(a)} ** {GoType(b)}");
        }

        return GoMath.Pow(ToFloat(a), ToFloat(b));
    }

    public static object Negate(object? v) => v switch
    {
        long l => (object)unchecked(-l),
        double d => -d,
        _ => throw Fail($"invalid operation: - {GoType(v)}"),
    };

    /// <summary>Unary plus: expr compiles it to nothing, so any value passes through.</summary>
    public static object? Plus(object? v) => v;

    public static bool AsBool(object? v, string what) =>
        v is bool b ? b : throw Fail($"interface conversion: interface {{}} is {GoType(v)}, not bool ({what})");

    /// <summary>runtime.Fetch: a field of a map, an element of a list or string, a method of a time or duration.</summary>
    public static object? Fetch(object? from, object? key)
    {
        switch (from)
        {
            case ObjectMap map:
                if (key is string s)
                {
                    return map.TryGetValue(s, out object? value) ? value : null;
                }

                if (key is null)
                {
                    return map.TryGetValue(string.Empty, out object? empty) ? empty : null;
                }

                throw Fail($"reflect.Value.MapIndex: value of type {GoType(key)} is not assignable to type string");
            case List<object?> list:
                {
                    long i = IndexOf(key);
                    long n = list.Count;
                    if (i < 0)
                    {
                        i += n;
                    }

                    if (i < 0 || i >= n)
                    {
                        throw Fail($"index out of range: {i} (array length is {n})");
                    }

                    return list[(int)i];
                }

            case string str:
                {
                    long i = IndexOf(key);
                    byte[] bytes = ToGoBytes(str);
                    long n = bytes.Length;
                    if (i < 0)
                    {
                        i += n;
                    }

                    if (i < 0 || i >= n)
                    {
                        throw Fail($"index out of range: {i} (array length is {n})");
                    }

                    return (long)bytes[i];
                }

            case Dictionary<object, object?> any:
                return any.TryGetValue(NormalizeKey(key), out object? v) ? v : null;
            case IGoObject o when key is string name && o.TryGetMethod(name, out GoFunction? method):
                return method;
            case null:
                throw Fail($"cannot fetch {GoFmt.ToString(key)} from <nil>");
            default:
                throw Fail($"cannot fetch {GoFmt.ToString(key)} from {GoType(from)}");
        }
    }

    public static object NormalizeKey(object? key) => key ?? NilKey.Instance;

    private static long IndexOf(object? key) => key switch
    {
        long l => l,
        double d => DoubleToInt(d),
        _ => throw Fail($"invalid operation: int({GoType(key)})"),
    };

    /// <summary>A slice bound that was not written (<c>[:b]</c>, <c>[a:]</c>), as opposed to one that is nil.</summary>
    public static readonly object Absent = new();

    public static object Slice(object? value, object? from, object? to)
    {
        switch (value)
        {
            case List<object?> list:
                {
                    (int a, int b) = Bounds(list.Count, from, to);
                    return list.GetRange(a, b - a);
                }

            case string s:
                {
                    if (IsAscii(s))
                    {
                        (int a, int b) = Bounds(s.Length, from, to);
                        return s[a..b];
                    }

                    byte[] bytes = ToGoBytes(s);
                    (int x, int y) = Bounds(bytes.Length, from, to);
                    return FromGoBytes(bytes.AsSpan(x, y - x));
                }

            default:
                throw Fail($"cannot slice {GoFmt.ToString(from)}");
        }
    }

    private static (int From, int To) Bounds(int length, object? from, object? to)
    {
        long a = ReferenceEquals(from, Absent) ? 0 : ToInt(from);
        long b = ReferenceEquals(to, Absent) ? length : ToInt(to);
        if (a < 0)
        {
            a += length;
        }

        if (a < 0)
        {
            a = 0;
        }

        if (b < 0)
        {
            b += length;
        }

        if (b < 0)
        {
            b = 0;
        }

        if (b > length)
        {
            b = length;
        }

        if (a > b)
        {
            a = b;
        }

        return ((int)a, (int)b);
    }

    public static bool IsAscii(string s) => Ascii.IsValid(s);

    public static bool In(object? needle, object? collection)
    {
        switch (collection)
        {
            case null:
                return false;
            case List<object?> list:
                foreach (object? item in list)
                {
                    if (Equal(item, needle))
                    {
                        return true;
                    }
                }

                return false;
            case ObjectMap map:
                return needle switch
                {
                    string s => map.ContainsKey(s),
                    null => map.ContainsKey(string.Empty),
                    _ => throw Fail($"reflect.Value.MapIndex: value of type {GoType(needle)} is not assignable to type string"),
                };
            case HashSet<string> set:
                return needle switch
                {
                    string s => set.Contains(s),
                    null => set.Contains(string.Empty),
                    _ => throw Fail($"reflect.Value.MapIndex: value of type {GoType(needle)} is not assignable to type string"),
                };
            case Dictionary<object, object?> any:
                return any.ContainsKey(NormalizeKey(needle));
            default:
                throw Fail($"operator \"in\" not defined on {GoType(collection)}");
        }
    }

    public static long Len(object? v) => v switch
    {
        string s => RuneCount(s),
        List<object?> l => l.Count,
        ObjectMap m => m.Count,
        Dictionary<object, object?> m => m.Count,
        _ => throw Fail($"invalid argument for len (type {GoType(v)})"),
    };

    public static long RuneCount(string s)
    {
        // A surrogate pair is one rune; a raw byte (a lone U+DCxx) is one rune, as Go counts an invalid byte.
        long n = s.Length;
        for (int i = 1; i < s.Length; i++)
        {
            if (char.IsLowSurrogate(s[i]) && char.IsHighSurrogate(s[i - 1]))
            {
                n--;
            }
        }

        return n;
    }

    /// <summary>expr's <c>type()</c>.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "nil",
        bool => "bool",
        long => "int",
        double => "float",
        string => "string",
        List<object?> => "array",
        ObjectMap or Dictionary<object, object?> => "map",
        GoFunction => "func",
        IGoObject o => o.GoTypeName,
        GoLocation => "time.Location",
        _ => "unknown",
    };

    /// <summary>Go's <c>%v</c>.</summary>
    public static string Format(object? v) => v switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        null => "<nil>",
        _ => GoFmt.ToString(v),
    };

    /// <summary>Go's strings.Index as a byte offset.</summary>
    public static long ByteIndex(string s, string sub, bool last)
    {
        int i = last ? s.LastIndexOf(sub, StringComparison.Ordinal) : s.IndexOf(sub, StringComparison.Ordinal);
        if (i <= 0 || IsAscii(s))
        {
            return i;
        }

        return ToGoBytes(s[..i]).Length;
    }
}

/// <summary>The key nil in a map with interface keys (groupBy on a nil value).</summary>
internal sealed class NilKey
{
    public static readonly NilKey Instance = new();

    private NilKey()
    {
    }

    public override string ToString() => "<nil>";
}
