using Lookout.Values.Time;

namespace Lookout.Values;

/// <summary>
/// Go's types for object-model values, the one place both languages and Sprig ask: the type name Go prints
/// (<c>%T</c>, error messages), the numeric kinds, and truth as text/template and Sprig's <c>empty</c> read it.
/// </summary>
/// <remarks>
/// The object model holds a Kubernetes object as it decodes in Go (unstructured JSON): a number without a fraction is
/// <c>int64</c> (C# <see cref="long"/>), any other number is <c>float64</c> (<see cref="double"/>). Go's <c>int</c> is 64
/// bits wide (amd64, arm64): it is C# <see cref="int"/> when its value fits in 32 bits (template literals, the results
/// of template builtins such as <c>len</c>, Sprig's <c>int</c> and <c>atoi</c>) and C# <see cref="nint"/> beyond, so a
/// literal such as <c>7200000000000</c> is still an <c>int</c>, not an <c>int64</c>, where a type switch tells them apart
/// (Sprig's <c>durationRound</c>, <c>typeOf</c>). <see cref="Int"/> makes one. expr computes with <see cref="long"/>
/// only; its own <c>type()</c> builtin names every integer <c>int</c>, as expr-lang does.
/// </remarks>
public static class GoTypes
{
    /// <summary>Go's <c>reflect.TypeOf(v).String()</c> (what <c>%T</c> prints) for an object-model value; <c>&lt;nil&gt;</c> for nil.</summary>
    public static string Name(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        long => "int64",
        int or nint => "int",
        double => "float64",
        bool => "bool",
        byte => "uint8",
        float => "float32",
        ulong => "uint64",
        uint => "uint32",
        short => "int16",
        sbyte => "int8",
        ushort => "uint16",
        ObjectMap => "map[string]interface {}",
        IDictionary<string, object?> => "map[string]interface {}",
        IDictionary<object, object?> => "map[interface {}]interface {}",
        GoTypedList typed => "[]" + typed.ElementType,
        List<object?> => "[]interface {}",
        IList<object?> => "[]interface {}",
        IGoObject o => o.GoTypeName,
        GoLocation => "*time.Location",
        GoFunction => "func(...interface {}) (interface {}, error)",
        _ => value.GetType().Name,
    };

    /// <summary>A Go signed integer (<c>int</c>, <c>int64</c>, <c>int16</c>, <c>int8</c>).</summary>
    public static bool IsSignedInt(object? v) => v is long or int or nint or short or sbyte;

    /// <summary>A Go <c>int</c> of <paramref name="value"/>: <see cref="int"/> when it fits in 32 bits, else <see cref="nint"/>.</summary>
    public static object Int(long value) => value is >= int.MinValue and <= int.MaxValue ? (object)(int)value : (object)(nint)value;

    /// <summary>
    /// A Go <c>int</c> passed to a parameter that holds 32 bits (the engines' <c>int</c> parameters): beyond 32 bits it is
    /// clamped, which for a length, count or index reads as Go's 64-bit value would (past any string or list).
    /// </summary>
    public static int ClampedInt(object v) => v switch
    {
        int i => i,
        nint n => (int)Math.Clamp((long)n, int.MinValue, int.MaxValue),
        _ => throw new InvalidCastException($"{Name(v)} is not an int"),
    };

    /// <summary>A Go unsigned integer (<c>uint8</c>, <c>uint16</c>, <c>uint32</c>, <c>uint64</c>).</summary>
    public static bool IsUnsignedInt(object? v) => v is byte or ushort or uint or ulong;

    /// <summary>A Go float (<c>float64</c>, <c>float32</c>).</summary>
    public static bool IsFloat(object? v) => v is double or float;

    /// <summary>Any Go number.</summary>
    public static bool IsNumber(object? v) => IsSignedInt(v) || IsUnsignedInt(v) || IsFloat(v);

    /// <summary>A signed integer widened to <c>int64</c>.</summary>
    /// <exception cref="InvalidCastException"><paramref name="v"/> is not a signed integer.</exception>
    public static long ToInt64(object v) => v switch
    {
        long l => l,
        int i => i,
        nint n => n,
        short s => s,
        sbyte b => b,
        _ => throw new InvalidCastException($"{Name(v)} is not a signed integer"),
    };

    /// <summary>An unsigned integer widened to <c>uint64</c>.</summary>
    /// <exception cref="InvalidCastException"><paramref name="v"/> is not an unsigned integer.</exception>
    public static ulong ToUInt64(object v) => v switch
    {
        byte b => b,
        ushort s => s,
        uint u => u,
        ulong u => u,
        _ => throw new InvalidCastException($"{Name(v)} is not an unsigned integer"),
    };

    /// <summary>
    /// Go's truth of a value (text/template's <c>isTrue</c>; Sprig's <c>empty</c> is its negation): nil, false, zero,
    /// the empty string and empty maps and lists are false, anything else is true.
    /// </summary>
    public static bool IsTrue(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        nint n => n != 0,
        short s => s != 0,
        sbyte s => s != 0,
        byte b => b != 0,
        ushort u => u != 0,
        uint u => u != 0,
        ulong u => u != 0,
        double d => d != 0,
        float f => f != 0,
        ICollection<KeyValuePair<string, object?>> m => m.Count > 0,
        IList<object?> list => list.Count > 0,
        IList<string> list => list.Count > 0,
        _ => true,
    };
}
