using System.Globalization;
using System.Text;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Expr;

// The implementations and signature checks behind the records in Builtins.cs.
internal static partial class Builtins
{
    private static Nature Convertible(string name, Nature[] args, Nature result) => One(args) switch
    {
        { Kind: NatureKind.Int or NatureKind.Float or NatureKind.Unknown or NatureKind.String } => result,
        var a => throw new CheckError($"invalid argument for {name} (type {a})"),
    };

    private static Nature Rounded(string name, Nature[] args) => One(args) switch
    {
        { Kind: NatureKind.Int or NatureKind.Float or NatureKind.Unknown } => Nature.Float,
        var a => throw new CheckError($"invalid argument for {name} (type {a})"),
    };

    private static Nature CheckNow(Nature[] args) => args.Length == 0 || (args.Length == 1 && args[0].Kind == NatureKind.Location)
        ? Nature.Time
        : throw new CheckError($"invalid number of arguments (expected 0, got {args.Length})");

    private static Nature Element(string name, Nature[] args) => One(args) switch
    {
        { Kind: NatureKind.Unknown } => U,
        { Kind: NatureKind.Array } a => a.ElemOrUnknown,
        var a => throw new CheckError($"cannot get {name} element from {a}"),
    };

    private static Nature FromMap(string name, Nature[] args) => One(args) switch
    {
        { Kind: NatureKind.Unknown or NatureKind.Map } => Nature.AnyArray,
        var a => throw new CheckError(name == "toPairs" ? $"cannot transform {a} to pairs" : $"cannot get {name} from {a}"),
    };

    private static Nature OfArray(string name, Nature[] args) => One(args) switch
    {
        { Kind: NatureKind.Unknown or NatureKind.Array } => Nature.AnyArray,
        var a => throw new CheckError($"cannot {name} {a}"),
    };

    private static object Abs(object? v) => v switch
    {
        long l => (object)(l < 0 ? unchecked(-l) : l),
        double d => d < 0 ? -d : d,
        _ => throw Runtime.Fail($"invalid argument for abs (type {Runtime.GoType(v)})"),
    };

    private static string TrimPrefix(string s, string prefix) => s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;

    private static string TrimSuffix(string s, string suffix) => s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;

    private static GoTime Now(object?[] a, Frame frame) => a.Length == 0
        ? new GoTime(frame.Time.GetUtcNow(), GoLocation.Local)
        : a[0] is GoLocation loc ? new GoTime(frame.Time.GetUtcNow(), loc) : throw Runtime.Fail($"invalid number of arguments (expected 0, got {a.Length})");

    private static Nature One(Nature[] args) =>
        args.Length == 1 ? args[0] : throw new CheckError($"invalid number of arguments (expected 1, got {args.Length})");

    private static string? Match(string name, Nature[] ps, Nature[] args)
    {
        if (args.Length > ps.Length)
        {
            return $"too many arguments to call {name}";
        }

        if (args.Length < ps.Length)
        {
            return $"not enough arguments to call {name}";
        }

        for (int i = 0; i < args.Length; i++)
        {
            Nature a = args[i];
            Nature p = ps[i];
            if (p.Kind == NatureKind.Float && a.Kind == NatureKind.Int)
            {
                continue;
            }

            if (a.Kind == NatureKind.Nil)
            {
                if (p.IsUnknown)
                {
                    continue;
                }

                return $"cannot use nil as argument (type {p}) to call {name}";
            }

            if (!a.IsUnknown && !a.AssignableTo(p))
            {
                return $"cannot use {a} as argument (type {p}) to call {name}";
            }
        }

        return null;
    }

    private static Nature Aggregate(string name, Nature[] args)
    {
        if (args.Length == 0)
        {
            throw new CheckError($"not enough arguments to call {name}");
        }

        foreach (Nature a in args)
        {
            switch (a.Kind)
            {
                case NatureKind.Unknown or NatureKind.Array:
                    return U;
                case NatureKind.Int or NatureKind.Float:
                    break;
                default:
                    throw new CheckError($"invalid argument for {name} (type {a})");
            }
        }

        return name is "mean" or "median" ? Nature.Float : args[0];
    }

    private static Nature CheckDate(Nature[] args)
    {
        if (args.Length < 1)
        {
            throw new CheckError($"invalid number of arguments (expected at least 1, got {args.Length})");
        }

        int n = args[0].Kind == NatureKind.Location ? args.Length - 1 : args.Length;
        return n > 3 ? throw new CheckError($"invalid number of arguments (expected at most 3, got {n})") : Nature.Time;
    }

    private static Nature CheckGet(Nature[] args)
    {
        if (args.Length != 2)
        {
            throw new CheckError($"invalid number of arguments (expected 2, got {args.Length})");
        }

        Nature b = args[0];
        Nature p = args[1];
        return b.Kind switch
        {
            NatureKind.Unknown => U,
            NatureKind.Array when p.Kind is NatureKind.Int or NatureKind.Unknown => b.ElemOrUnknown,
            NatureKind.Array => throw new CheckError($"non-integer slice index {p}"),
            NatureKind.Map when p.Kind is NatureKind.String or NatureKind.Unknown => U,
            NatureKind.Map => throw new CheckError($"cannot use {p} to get an element from {b}"),
            _ => throw new CheckError($"type {b} does not support indexing"),
        };
    }

    private static Nature CheckTake(Nature[] args)
    {
        if (args.Length != 2)
        {
            throw new CheckError($"invalid number of arguments (expected 2, got {args.Length})");
        }

        if (args[0].Kind is not (NatureKind.Unknown or NatureKind.Array))
        {
            throw new CheckError($"cannot take from {args[0]}");
        }

        if (args[1].Kind is not (NatureKind.Unknown or NatureKind.Int))
        {
            throw new CheckError($"cannot take {args[1]} elements");
        }

        return args[0];
    }

    private static Nature CheckConcat(Nature[] args)
    {
        if (args.Length == 0)
        {
            throw new CheckError("invalid number of arguments (expected at least 1, got 0)");
        }

        foreach (Nature a in args)
        {
            if (a.Kind is not (NatureKind.Unknown or NatureKind.Array))
            {
                throw new CheckError($"cannot concat {a}");
            }
        }

        return Nature.AnyArray;
    }

    // A string about to be copied factor times its length, charged to the evaluation's budget first.
    private static string Charged(string s, int factor = 1)
    {
        EvaluationBudget.Charge((long)s.Length * factor);
        return s;
    }

    private static string ChargedReplace(string s, string old, string @new)
    {
        EvaluationBudget.Charge(s.Length + ((((long)s.Length / Math.Max(1, old.Length)) + 1) * @new.Length));
        return @new;
    }

    private static object? ChargedJoin(object? list, string glue)
    {
        if (list is List<object?> items)
        {
            long size = (long)glue.Length * items.Count;
            foreach (object? item in items)
            {
                size += item is string s ? s.Length : 1;
            }

            EvaluationBudget.Charge(size);
        }

        return list;
    }

    private static string Str(object? v) =>
        v as string ?? throw Runtime.Fail($"interface conversion: interface {{}} is {Runtime.GoType(v)}, not string");

    private static List<object?> List(object? v, string what) =>
        v as List<object?> ?? throw Runtime.Fail($"cannot {what} {Kind(v)}");

    private static string Kind(object? v) => v switch
    {
        null => "invalid",
        long => "int",
        double => "float64",
        string => "string",
        bool => "bool",
        ObjectMap or Dictionary<object, object?> => "map",
        List<object?> => "slice",
        _ => "struct",
    };

    private static T Guard<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (GoFunctionException ex)
        {
            throw Runtime.Fail(ex.Message);
        }
    }

    private static double Rounding(object? v, string name, Func<double, double> f) => v switch
    {
        double d => f(d),
        long l => (double)l,
        _ => throw Runtime.Fail($"invalid argument for {name} (type {Runtime.GoType(v)})"),
    };

    private static long ToIntBuiltin(object? v)
    {
        switch (v)
        {
            case long l:
                return l;
            case double d:
                return Runtime.DoubleToInt(d);
            case string s:
                {
                    // strconv.Atoi: an optional sign and decimal digits, nothing else.
                    ReadOnlySpan<char> span = s;
                    int start = span.Length > 0 && (span[0] == '+' || span[0] == '-') ? 1 : 0;
                    bool digits = span.Length > start;
                    for (int i = start; i < span.Length && digits; i++)
                    {
                        digits = char.IsAsciiDigit(span[i]);
                    }

                    if (digits && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long r))
                    {
                        return r;
                    }

                    throw Runtime.Fail($"invalid operation: int({s})");
                }

            default:
                throw Runtime.Fail($"invalid operation: int({Runtime.GoType(v)})");
        }
    }

    private static object ToFloatBuiltin(object? v)
    {
        switch (v)
        {
            case double d:
                return d;
            case long l:
                return (double)l;
            case string s:
                if (ParseFloat(s) is double f)
                {
                    return f;
                }

                throw Runtime.Fail($"invalid operation: float({s})");
            default:
                throw Runtime.Fail($"invalid operation: float({Runtime.GoType(v)})");
        }
    }

    /// <summary>strconv.ParseFloat(s, 64), including inf/infinity/nan and underscores after a base prefix.</summary>
    internal static double? ParseFloat(string s)
    {
        string t = s.TrimStart('+', '-');
        string lower = t.ToLowerInvariant();
        bool negative = s.StartsWith('-');
        if (s.Length - t.Length > 1)
        {
            return null;
        }

        if (lower is "inf" or "infinity")
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (lower == "nan" && s.Length == t.Length)
        {
            return double.NaN;
        }

        if (t.Length == 0 || !(char.IsAsciiDigit(t[0]) || t[0] == '.'))
        {
            return null;
        }

        if (double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double d))
        {
            return double.IsInfinity(d) ? null : d;
        }

        return null;
    }

    private static string TrimSpace(string s) => s.Trim(' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00A0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000');

    private static string TrimCutset(string s, string cutset)
    {
        if (cutset.Length == 0)
        {
            return s;
        }

        int start = 0;
        int end = s.Length;
        while (start < end && cutset.Contains(s[start], StringComparison.Ordinal))
        {
            start++;
        }

        while (end > start && cutset.Contains(s[end - 1], StringComparison.Ordinal))
        {
            end--;
        }

        return s[start..end];
    }

    private static List<object?> Split(string s, string sep, long n, bool after, Frame frame)
    {
        var result = new List<object?>();
        if (n == 0)
        {
            return result;
        }

        if (sep.Length == 0)
        {
            // Go splits into UTF-8 sequences: one element per rune.
            var runes = new List<string>();
            for (int i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
            {
                runes.Add(s.Substring(i, char.IsSurrogatePair(s, i) ? 2 : 1));
            }

            if (n > 0 && runes.Count > n)
            {
                runes[(int)n - 1] = string.Concat(runes.Skip((int)n - 1));
                runes.RemoveRange((int)n, runes.Count - (int)n);
            }

            result.AddRange(runes);
            frame.Grow(result.Count);
            return result;
        }

        int start = 0;
        while (n < 0 || result.Count < n - 1)
        {
            int i = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            result.Add(s[start..(after ? i + sep.Length : i)]);
            start = i + sep.Length;
        }

        result.Add(s[start..]);
        frame.Grow(result.Count);
        return result;
    }

    /// <summary>Go's strings.Replace: an empty old string matches at every rune boundary.</summary>
    private static string Replace(string s, string old, string @new, long n)
    {
        if (n == 0 || old == @new)
        {
            return s;
        }

        var b = new StringBuilder();
        int start = 0;
        long done = 0;
        if (old.Length == 0)
        {
            int i = 0;
            while (n < 0 || done < n)
            {
                b.Append(@new);
                done++;
                if (i >= s.Length)
                {
                    return b.ToString();
                }

                int width = char.IsSurrogatePair(s, i) ? 2 : 1;
                b.Append(s, i, width);
                i += width;
                if (i >= s.Length && (n < 0 || done < n))
                {
                    b.Append(@new);
                    return b.ToString();
                }
            }

            b.Append(s, i, s.Length - i);
            return b.ToString();
        }

        while (n < 0 || done < n)
        {
            int i = s.IndexOf(old, start, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            b.Append(s, start, i - start).Append(@new);
            start = i + old.Length;
            done++;
        }

        b.Append(s, start, s.Length - start);
        return b.ToString();
    }

    private static string Repeat(string s, long n, Frame frame)
    {
        if (n < 0)
        {
            throw Runtime.Fail($"invalid argument for repeat (expected positive integer, got {n})");
        }

        if (n > 1_000_000)
        {
            throw Runtime.Fail("memory budget exceeded");
        }

        frame.Grow(Encoding.UTF8.GetByteCount(s) * n);
        return new StringBuilder(s.Length * (int)n).Insert(0, s, (int)n).ToString();
    }

    private static string Join(object? list, string glue)
    {
        if (list is not List<object?> items)
        {
            throw Runtime.Fail($"invalid argument for join (type {Runtime.GoType(list)})");
        }

        var parts = new string[items.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Str(items[i]);
        }

        return string.Join(glue, parts);
    }

    private static object? MinMax(string name, object?[] args, bool max, int depth)
    {
        EvaluationBudget.Visit(depth, "walking a value");

        object? val = null;
        foreach (object? arg in args)
        {
            switch (arg)
            {
                case List<object?> list:
                    foreach (object? e in list)
                    {
                        object? candidate = e switch
                        {
                            long or double => e,
                            List<object?> nested => MinMax(name, [nested], max, depth + 1),
                            _ => throw Runtime.Fail($"invalid argument for {name} (type {Runtime.GoType(e)})"),
                        };
                        if (candidate is not null && (val is null || Better(val, candidate, max)))
                        {
                            val = candidate;
                        }
                    }

                    break;
                case long or double:
                    if (val is null || Better(val, arg, max))
                    {
                        val = arg;
                    }

                    break;
                default:
                    if (args.Length == 1)
                    {
                        return args[0];
                    }

                    throw Runtime.Fail($"invalid argument for {name} (type {Runtime.GoType(arg)})");
            }
        }

        return val;
    }

    private static bool Better(object current, object candidate, bool max) =>
        max ? Runtime.Less(current, candidate) : Runtime.More(current, candidate);

    private static void Numbers(string name, object? arg, List<double> into, int depth)
    {
        EvaluationBudget.Visit(depth, "walking a value");

        switch (arg)
        {
            case long l:
                into.Add(l);
                break;
            case double d:
                into.Add(d);
                break;
            case List<object?> list:
                foreach (object? e in list)
                {
                    Numbers(name, e, into, depth + 1);
                }

                break;
            default:
                throw Runtime.Fail($"invalid argument for {name} (type {Runtime.GoType(arg)})");
        }
    }

    private static double Mean(object?[] args)
    {
        var values = new List<double>();
        foreach (object? a in args)
        {
            Numbers("mean", a, values, 0);
        }

        if (values.Count == 0)
        {
            return 0.0;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Count;
    }

    private static double Median(object?[] args)
    {
        var values = new List<double>();
        foreach (object? a in args)
        {
            Numbers("median", a, values, 0);
        }

        int n = values.Count;
        if (n == 0)
        {
            return 0.0;
        }

        values.Sort();
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static object? FromJson(string s)
    {
        try
        {
            return GoJson.Unmarshal(s);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw Runtime.Fail(ex.Message);
        }
    }

    private static string FromBase64(string s)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            throw Runtime.Fail("illegal base64 data at input byte 0");
        }
    }

    private static readonly string[] DateLayouts =
    [
        "2006-01-02", "15:04:05", "2006-01-02 15:04:05", GoLayouts.RFC3339, "02 Jan 06 15:04 MST", "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST",
    ];

    private static GoTime Date(object?[] args)
    {
        GoLocation? tz = args[0] as GoLocation;
        if (tz is not null)
        {
            args = args[1..];
        }

        string date = Str(args[0]);
        if (args.Length == 2)
        {
            string layout = Str(args[1]);
            return Guard(() => tz is null ? GoTime.Parse(layout, date) : GoTime.ParseInLocation(layout, date, tz));
        }

        if (args.Length == 3)
        {
            string layout = Str(args[1]);
            GoLocation zone = Guard(() => GoLocation.Load(Str(args[2])));
            return Guard(() => GoTime.ParseInLocation(layout, date, zone));
        }

        foreach (string layout in DateLayouts)
        {
            try
            {
                return tz is null ? GoTime.Parse(layout, date) : GoTime.ParseInLocation(layout, date, tz);
            }
            catch (GoFunctionException)
            {
            }
        }

        throw Runtime.Fail($"invalid date {date}");
    }

    private static object? FetchOrNil(object? v, long i)
    {
        try
        {
            return Runtime.Fetch(v, i);
        }
        catch (ExprRuntimeError)
        {
            return null;
        }
    }

    private static object? Get(object? from, object? key)
    {
        switch (from)
        {
            case null:
                return null;
            case List<object?> list:
                {
                    long i = Runtime.ToInt(key);
                    if (i < 0)
                    {
                        i += list.Count;
                    }

                    return i >= 0 && i < list.Count ? list[(int)i] : null;
                }

            case string s:
                {
                    long i = Runtime.ToInt(key);
                    byte[] bytes = Runtime.ToGoBytes(s);
                    if (i < 0)
                    {
                        i += bytes.Length;
                    }

                    return i >= 0 && i < bytes.Length ? (long)bytes[i] : null;
                }

            case ObjectMap or Dictionary<object, object?>:
                return Runtime.Fetch(from, key);
            case IGoObject o when key is string name && o.TryGetMethod(name, out GoFunction? m):
                return m;
            default:
                return null;
        }
    }

    private static List<object?> Take(object? list, object? n)
    {
        if (list is not List<object?> items)
        {
            throw Runtime.Fail($"cannot take from {Kind(list)}");
        }

        if (n is not long count)
        {
            throw Runtime.Fail($"cannot take {Kind(n)} elements");
        }

        if (count < 0)
        {
            throw Runtime.Fail($"reflect: slice index out of range");
        }

        return items.GetRange(0, (int)Math.Min(count, items.Count));
    }

    private static List<object?> Keys(object? map, bool values)
    {
        switch (map)
        {
            case ObjectMap m:
                {
                    var keys = m.Keys.Order(StringComparer.Ordinal).ToList();
                    return values ? keys.Select(k => m[k]).ToList() : keys.Cast<object?>().ToList();
                }

            case Dictionary<object, object?> m:
                return values ? m.Values.ToList() : m.Keys.Select(k => k is NilKey ? null : k).ToList();
            default:
                throw Runtime.Fail($"cannot get {(values ? "values" : "keys")} from {Kind(map)}");
        }
    }

    private static List<object?> ToPairs(object? map)
    {
        switch (map)
        {
            case ObjectMap m:
                return m.Keys.Order(StringComparer.Ordinal).Select(k => (object?)new List<object?> { k, m[k] }).ToList();
            case Dictionary<object, object?> m:
                return m.Select(kv => (object?)new List<object?> { kv.Key is NilKey ? null : kv.Key, kv.Value }).ToList();
            default:
                throw Runtime.Fail($"cannot transform {Kind(map)} to pairs");
        }
    }

    private static Dictionary<object, object?> FromPairs(object? list)
    {
        if (list is not List<object?> items)
        {
            throw Runtime.Fail($"cannot transform {Runtime.Format(list)} from pairs");
        }

        var result = new Dictionary<object, object?>();
        foreach (object? item in items)
        {
            if (item is not List<object?> pair)
            {
                throw Runtime.Fail($"invalid pair {Runtime.Format(item)}");
            }

            if (pair.Count != 2)
            {
                throw Runtime.Fail($"invalid pair length {Runtime.Format(item)}");
            }

            result[Runtime.NormalizeKey(pair[0])] = pair[1];
        }

        return result;
    }

    private static List<object?> Uniq(List<object?> items)
    {
        var result = new List<object?>();
        foreach (object? item in items)
        {
            bool seen = false;
            foreach (object? r in result)
            {
                if (Runtime.Equal(item, r))
                {
                    seen = true;
                    break;
                }
            }

            if (!seen)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?>? Concat(object?[] args, Frame frame)
    {
        var result = new List<object?>();
        foreach (object? a in args)
        {
            result.AddRange(List(a, "concat"));
        }

        frame.Grow(result.Count);

        // Go appends to a nil slice: nothing appended stays nil.
        return result.Count == 0 ? null : result;
    }

    private static List<object?> Flatten(List<object?> items, int depth)
    {
        EvaluationBudget.Visit(depth, "walking a value");

        var result = new List<object?>();
        foreach (object? item in items)
        {
            if (item is List<object?> nested)
            {
                result.AddRange(Flatten(nested, depth + 1));
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?>? Sort(object?[] args, Frame frame)
    {
        if (args[0] is not List<object?> l)
        {
            // Go sorts a nil slice into nil.
            return null;
        }

        var array = new List<object?>(l);
        bool desc = false;
        if (args.Length == 2)
        {
            desc = args[1] switch
            {
                "asc" => false,
                "desc" => true,
                string other => throw Runtime.Fail($"invalid order {other}, expected asc or desc"),
                var other => throw Runtime.Fail($"sort order argument must be a string (got {Runtime.GoType(other)})"),
            };
        }

        StableSort(array, (x, y) => desc ? Runtime.Less(y, x) : Runtime.Less(x, y));
        frame.Grow(array.Count);
        return array;
    }

    /// <summary>Insertion-merge sort that only asks "less": the comparison can throw for mixed types, as Go's does.</summary>
    internal static void StableSort(List<object?> items, Func<object?, object?, bool> less) => StableSort(items, null, less);

    internal static void StableSort(List<object?> items, List<object?>? keys, Func<object?, object?, bool> less)
    {
        int[] order = Enumerable.Range(0, items.Count).ToArray();
        List<object?> k = keys ?? items;
        int[] sorted = MergeSort(order, (a, b) => less(k[a], k[b]));
        object?[] copy = items.ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            items[i] = copy[sorted[i]];
        }
    }

    private static int[] MergeSort(int[] a, Func<int, int, bool> less)
    {
        if (a.Length <= 1)
        {
            return a;
        }

        int[] left = MergeSort(a[..(a.Length / 2)], less);
        int[] right = MergeSort(a[(a.Length / 2)..], less);
        int[] result = new int[a.Length];
        int i = 0, j = 0, n = 0;
        while (i < left.Length && j < right.Length)
        {
            result[n++] = less(right[j], left[i]) ? right[j++] : left[i++];
        }

        while (i < left.Length)
        {
            result[n++] = left[i++];
        }

        while (j < right.Length)
        {
            result[n++] = right[j++];
        }

        return result;
    }

    private static (long X, long Y) Bits(object?[] a, string name)
    {
        if (a[0] is not long x)
        {
            throw Runtime.Fail($"cannot use {Runtime.GoType(a[0])} as argument (type int) to call {name}");
        }

        if (a[1] is not long y)
        {
            throw Runtime.Fail($"cannot use {Runtime.GoType(a[1])} as argument (type int) to call {name}");
        }

        return (x, y);
    }

    private static long Shift(long x, long y, Func<long, long, long> f) =>
        y < 0 ? throw Runtime.Fail($"invalid operation: negative shift count {y} (type int)") : f(x, y);
}
