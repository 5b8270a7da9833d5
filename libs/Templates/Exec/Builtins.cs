using System.Text;
using Lookout.Values;

namespace Lookout.Templates.Exec;

/// <summary>A callable function with Go's parameter shape.</summary>
internal sealed class FunctionInfo(string name, GoParamType[] fixedParams, GoParamType? variadic, Func<object?[], object?> invoke, bool isBuiltin = false)
{
    public string Name { get; } = name;

    public GoParamType[] Fixed { get; } = fixedParams;

    public GoParamType? Variadic { get; } = variadic;

    public bool IsBuiltin { get; } = isBuiltin;

    public Func<object?[], object?> Invoke { get; } = invoke;

    public GoParamType KindAt(int i) => i < Fixed.Length ? Fixed[i] : Variadic ?? GoParamType.Any;

    /// <summary>A user function (Sprig, Argo), with the parameter types its signature declares (<c>interface{}</c> when it declares none).</summary>
    public static FunctionInfo FromGoFunction(GoFunction f)
    {
        GoParamType Kind(int i) => f.Parameters is { } types && i < types.Count ? types[i] : GoParamType.Any;
        GoParamType[] fixedParams = [.. Enumerable.Range(0, f.MinArgs).Select(Kind)];
        GoParamType? variadic = f.MaxArgs == f.MinArgs ? null : Kind(f.MinArgs);
        return new FunctionInfo(f.Name, fixedParams, variadic, args =>
        {
            try
            {
                return f.Call(args);
            }
            catch (GoFunctionException ex)
            {
                throw new FuncError(ex.Message);
            }
        });
    }
}

/// <summary>text/template's builtin functions (funcs.go), on the shared object model.</summary>
internal static class Builtins
{
    private const string BadComparison = "incompatible types for comparison";
    private const string BadComparisonType = "invalid type for comparison";

    private static readonly GoParamType[] None = [];
    private static readonly GoParamType[] OneValue = [GoParamType.Value];
    private static readonly GoParamType[] TwoValues = [GoParamType.Value, GoParamType.Value];

    public static readonly Dictionary<string, FunctionInfo> All = new(StringComparer.Ordinal)
    {
        ["and"] = new("and", OneValue, GoParamType.Value, _ => throw new InvalidOperationException("and is evaluated by the executor"), true),
        ["or"] = new("or", OneValue, GoParamType.Value, _ => throw new InvalidOperationException("or is evaluated by the executor"), true),
        ["not"] = new("not", OneValue, null, a => Box(!GoValues.Truth(a[0])), true),
        ["call"] = new("call", OneValue, GoParamType.Value, Call, true),
        ["html"] = new("html", None, GoParamType.Any, a => Html(EvalArgs(PrintBudget.Charge(a, 6))), true),
        ["js"] = new("js", None, GoParamType.Any, a => Js(EvalArgs(PrintBudget.Charge(a, 6))), true),
        ["urlquery"] = new("urlquery", None, GoParamType.Any, a => UrlQuery(EvalArgs(PrintBudget.Charge(a, 3))), true),
        ["index"] = new("index", OneValue, GoParamType.Value, Index, true),
        ["slice"] = new("slice", OneValue, GoParamType.Value, Slice, true),
        ["len"] = new("len", OneValue, null, a => BoxInt(Length(a[0])), true),
        ["print"] = new("print", None, GoParamType.Any, a => GoFmt.Sprint(PrintBudget.Charge(a, 1)), true),
        ["printf"] = new("printf", [GoParamType.String], GoParamType.Any, a => GoFmt.Sprintf((string)a[0]!, PrintBudget.ChargeFormat((string)a[0]!, a[1..])), true),
        ["println"] = new("println", None, GoParamType.Any, a => GoFmt.Sprintln(PrintBudget.Charge(a, 1)), true),
        ["eq"] = new("eq", OneValue, GoParamType.Value, a => Box(a.Length == 2 ? EqOne(a[0], a[1]) : Eq(a[0], a[1..])), true),
        ["ne"] = new("ne", TwoValues, null, a => Box(!EqOne(a[0], a[1])), true),
        ["lt"] = new("lt", TwoValues, null, a => Box(Lt(a[0], a[1])), true),
        ["le"] = new("le", TwoValues, null, a => Box(Lt(a[0], a[1]) || EqOne(a[0], a[1])), true),
        ["gt"] = new("gt", TwoValues, null, a => Box(!(Lt(a[0], a[1]) || EqOne(a[0], a[1]))), true),
        ["ge"] = new("ge", TwoValues, null, a => Box(!Lt(a[0], a[1])), true),
    };

    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallInts = [.. Enumerable.Range(0, 1024).Select(i => (object)i)];

    public static bool IsBuiltin(string name) => All.ContainsKey(name);

    // Results are boxed once: a comparison or a length allocates nothing.
    private static object Box(bool value) => value ? True : False;

    private static object BoxInt(int value) => value is >= 0 and < 1024 ? SmallInts[value] : value;

    private static object? Call(object?[] a)
    {
        object? fn = a[0];
        if (fn is null)
        {
            throw new FuncError("call of nil");
        }

        if (fn is not GoFunction f)
        {
            throw new FuncError($"non-function of type {GoFmt.TypeName(fn)}");
        }

        try
        {
            return f.Call(a[1..]);
        }
        catch (GoFunctionException ex)
        {
            throw new FuncError(ex.Message);
        }
    }

    // html, js, urlquery: one string argument as is, else fmt.Sprint of the printable values.
    private static string EvalArgs(object?[] args)
    {
        if (args.Length == 1 && args[0] is string s)
        {
            return s;
        }

        object?[] printable = [.. args.Select(a => a is null ? "<no value>" : a)];
        return GoFmt.Sprint(printable);
    }

    private static string Html(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            b.Append(c switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return b.ToString();
    }

    private static string Js(string s)
    {
        var b = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '\\': b.Append("\\\\"); break;
                case '\'': b.Append("\\'"); break;
                case '"': b.Append("\\\""); break;
                case '<': b.Append("\\u003C"); break;
                case '>': b.Append("\\u003E"); break;
                case '&': b.Append("\\u0026"); break;
                case '=': b.Append("\\u003D"); break;
                default:
                    if (c < ' ')
                    {
                        b.Append("\\u00").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else if (c < 0x80)
                    {
                        b.Append(c);
                    }
                    else
                    {
                        int r = char.IsHighSurrogate(c) && i + 1 < s.Length ? char.ConvertToUtf32(c, s[++i]) : c;
                        if (GoFmt.IsPrint(r))
                        {
                            b.Append(char.ConvertFromUtf32(r));
                        }
                        else
                        {
                            b.Append("\\u").Append(r.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }

                    break;
            }
        }

        return b.ToString();
    }

    private static string UrlQuery(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (byte c in Encoding.UTF8.GetBytes(s))
        {
            if (c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                b.Append((char)c);
            }
            else if (c == ' ')
            {
                b.Append('+');
            }
            else
            {
                b.Append('%').Append(c.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return b.ToString();
    }

    private static int Length(object? item) => item switch
    {
        null => throw new FuncError("len of nil pointer"),
        string s => GoValues.ByteLength(s),
        ICollection<KeyValuePair<string, object?>> m => m.Count,
        IList<object?> list => list.Count,
        _ => throw new FuncError($"len of type {GoFmt.TypeName(item)}"),
    };

    private static int IndexArg(object? index, int cap)
    {
        long x;
        if (index is null)
        {
            throw new FuncError("cannot index slice/array with nil");
        }

        if (GoValues.IsSignedInt(index))
        {
            x = GoValues.ToInt64(index);
        }
        else if (GoValues.IsUnsignedInt(index))
        {
            ulong u = GoValues.ToUInt64(index);
            x = u > long.MaxValue ? -1 : (long)u;
        }
        else
        {
            throw new FuncError($"cannot index slice/array with type {GoFmt.TypeName(index)}");
        }

        if (x < 0 || x > cap)
        {
            throw new FuncError($"index out of range: {x}");
        }

        return (int)x;
    }

    private static object? Index(object?[] a)
    {
        object? item = a[0];
        if (item is null)
        {
            throw new FuncError("index of untyped nil");
        }

        for (int i = 1; i < a.Length; i++)
        {
            object? index = a[i];
            switch (item)
            {
                case null:
                    throw new FuncError("index of nil pointer");
                case string s:
                    {
                        byte[] bytes = Encoding.UTF8.GetBytes(s);
                        int x = IndexArg(index, bytes.Length);
                        if (x >= bytes.Length)
                        {
                            throw new FuncError("reflect: string index out of range");
                        }

                        item = bytes[x];
                        break;
                    }

                case IList<object?> list:
                    {
                        int x = IndexArg(index, list.Count);
                        if (x >= list.Count)
                        {
                            throw new FuncError("reflect: slice index out of range");
                        }

                        item = list[x];
                        break;
                    }

                case IDictionary<string, object?> map:
                    if (index is null)
                    {
                        throw new FuncError("value is nil; should be of type string");
                    }

                    if (index is not string key)
                    {
                        throw new FuncError($"value has type {GoFmt.TypeName(index)}; should be string");
                    }

                    item = map.TryGetValue(key, out object? found) ? found : null;
                    break;
                default:
                    throw new FuncError($"can't index item of type {GoFmt.TypeName(item)}");
            }
        }

        return item;
    }

    private static object? Slice(object?[] a)
    {
        object? item = a[0];
        if (item is null)
        {
            throw new FuncError("slice of untyped nil");
        }

        int count = a.Length - 1;
        if (count > 3)
        {
            throw new FuncError($"too many slice indexes: {count}");
        }

        int cap;
        int length;
        byte[]? bytes = null;
        switch (item)
        {
            case string s:
                if (count == 3)
                {
                    throw new FuncError("cannot 3-index slice a string");
                }

                bytes = Encoding.UTF8.GetBytes(s);
                cap = length = bytes.Length;
                break;
            case IList<object?> list:
                length = list.Count;
                cap = GoValues.Capacity(list.Count);
                break;
            default:
                throw new FuncError($"can't slice item of type {GoFmt.TypeName(item)}");
        }

        int[] idx = [0, length, 0];
        for (int i = 0; i < count; i++)
        {
            idx[i] = IndexArg(a[i + 1], cap);
        }

        if (idx[0] > idx[1])
        {
            throw new FuncError($"invalid slice index: {idx[0]} > {idx[1]}");
        }

        if (count == 3 && idx[1] > idx[2])
        {
            throw new FuncError($"invalid slice index: {idx[1]} > {idx[2]}");
        }

        if (bytes is not null)
        {
            return Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]);
        }

        var source = (IList<object?>)item;
        var result = new List<object?>(idx[1] - idx[0]);
        for (int i = idx[0]; i < idx[1]; i++)
        {
            result.Add(i < source.Count ? source[i] : null);
        }

        return result;
    }

    private enum Kind
    {
        Invalid,
        Bool,
        Int,
        Uint,
        Float,
        String,
    }

    private static Kind BasicKind(object? v) => v switch
    {
        bool => Kind.Bool,
        long or int or nint or short or sbyte => Kind.Int,
        byte or ushort or uint or ulong => Kind.Uint,
        double or float => Kind.Float,
        string => Kind.String,
        _ => Kind.Invalid,
    };

    private static double ToDouble(object v) => v is float f ? f : (double)v;

    private static bool Eq(object? arg1, object?[] arg2)
    {
        if (arg2.Length == 0)
        {
            throw new FuncError("missing argument for comparison");
        }

        foreach (object? arg in arg2)
        {
            if (EqOne(arg1, arg))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqOne(object? arg1, object? arg)
    {
        Kind k1 = BasicKind(arg1);
        {
            Kind k2 = BasicKind(arg);
            bool truth = false;
            if (k1 != k2)
            {
                if (k1 == Kind.Int && k2 == Kind.Uint)
                {
                    truth = GoValues.ToInt64(arg1!) >= 0 && (ulong)GoValues.ToInt64(arg1!) == GoValues.ToUInt64(arg!);
                }
                else if (k1 == Kind.Uint && k2 == Kind.Int)
                {
                    truth = GoValues.ToInt64(arg!) >= 0 && GoValues.ToUInt64(arg1!) == (ulong)GoValues.ToInt64(arg!);
                }
                else if (arg1 is not null && arg is not null)
                {
                    throw new FuncError(BadComparison);
                }
            }
            else
            {
                switch (k1)
                {
                    case Kind.Bool:
                        truth = (bool)arg1! == (bool)arg!;
                        break;
                    case Kind.Float:
                        truth = ToDouble(arg1!) == ToDouble(arg!);
                        break;
                    case Kind.Int:
                        truth = GoValues.ToInt64(arg1!) == GoValues.ToInt64(arg!);
                        break;
                    case Kind.Uint:
                        truth = GoValues.ToUInt64(arg1!) == GoValues.ToUInt64(arg!);
                        break;
                    case Kind.String:
                        truth = string.Equals((string)arg1!, (string)arg!, StringComparison.Ordinal);
                        break;
                    default:
                        truth = EqOther(arg1, arg);
                        break;
                }
            }

            return truth;
        }
    }

    private static bool EqOther(object? a, object? b)
    {
        int ka = ReflectKind(a);
        int kb = ReflectKind(b);
        if (ka != kb && ka != 0 && kb != 0)
        {
            throw new FuncError($"non-comparable types {GoFmt.ToString(a)}: {GoFmt.TypeName(a)}, {GoFmt.TypeName(b)}: {GoFmt.ToString(b)}");
        }

        if (a is null || b is null)
        {
            return (a is null) == (b is null);
        }

        if (a is IDictionary<string, object?> or IList<object?> or GoFunction)
        {
            throw new FuncError($"non-comparable type {GoFmt.ToString(b)}: {GoFmt.TypeName(b)}");
        }

        return a.Equals(b);
    }

    // A stand-in for reflect.Kind among the non-basic values: 0 invalid, 1 map, 2 slice, 3 func, 4 struct.
    private static int ReflectKind(object? v) => v switch
    {
        null => 0,
        IDictionary<string, object?> => 1,
        IList<object?> => 2,
        GoFunction => 3,
        _ => 4,
    };

    private static bool Lt(object? arg1, object? arg2)
    {
        Kind k1 = BasicKind(arg1);
        if (k1 == Kind.Invalid)
        {
            throw new FuncError(BadComparisonType);
        }

        Kind k2 = BasicKind(arg2);
        if (k2 == Kind.Invalid)
        {
            throw new FuncError(BadComparisonType);
        }

        if (k1 != k2)
        {
            if (k1 == Kind.Int && k2 == Kind.Uint)
            {
                long x = GoValues.ToInt64(arg1!);
                return x < 0 || (ulong)x < GoValues.ToUInt64(arg2!);
            }

            if (k1 == Kind.Uint && k2 == Kind.Int)
            {
                long y = GoValues.ToInt64(arg2!);
                return y >= 0 && GoValues.ToUInt64(arg1!) < (ulong)y;
            }

            throw new FuncError(BadComparison);
        }

        return k1 switch
        {
            Kind.Bool => throw new FuncError(BadComparisonType),
            Kind.Float => ToDouble(arg1!) < ToDouble(arg2!),
            Kind.Int => GoValues.ToInt64(arg1!) < GoValues.ToInt64(arg2!),
            Kind.Uint => GoValues.ToUInt64(arg1!) < GoValues.ToUInt64(arg2!),
            _ => string.CompareOrdinal((string)arg1!, (string)arg2!) < 0,
        };
    }
}
