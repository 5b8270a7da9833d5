using System.Text;
using Lookout.Values;

namespace Lookout.Templates.Exec;

/// <summary>
/// Go's invalid <c>reflect.Value</c>: what a missing map key or an unset value evaluates to. It prints as
/// <c>&lt;no value&gt;</c>. C# <c>null</c> is Go's nil interface (a JSON null held in a map or list).
/// </summary>
internal sealed class Missing
{
    public static readonly Missing Value = new();

    private Missing()
    {
    }

    public override string ToString() => "<no value>";
}

/// <summary>Go's "no final value" marker: the first command of a pipeline receives none.</summary>
internal sealed class NoFinal
{
    public static readonly NoFinal Value = new();

    private NoFinal()
    {
    }
}

/// <summary>An error a function returned (Go's <c>error</c> result), reported as <c>error calling NAME: …</c>.</summary>
internal sealed class FuncError(string message) : Exception(message);

/// <summary>Go's kinds and rules for the values the engine handles.</summary>
internal static class GoValues
{
    public static bool IsSignedInt(object? v) => GoTypes.IsSignedInt(v);

    public static bool IsUnsignedInt(object? v) => GoTypes.IsUnsignedInt(v);

    public static long ToInt64(object v) => GoTypes.ToInt64(v);

    public static ulong ToUInt64(object v) => GoTypes.ToUInt64(v);

    /// <summary>Go's <c>isTrue</c> on an already indirected value: nil and the invalid value are false.</summary>
    public static bool Truth(object? v) => v is not Missing && GoTypes.IsTrue(v);

    /// <summary>The byte length of a string, as Go's <c>len</c>.</summary>
    public static int ByteLength(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>
    /// The capacity Go's JSON decoder leaves on a slice of <paramref name="count"/> elements (it appends one at a
    /// time), which <c>slice</c> may reach past the length.
    /// </summary>
    public static int Capacity(int count)
    {
        int cap = 0;
        for (int needed = 1; needed <= count; needed++)
        {
            if (needed <= cap)
            {
                continue;
            }

            int doubled = cap * 2;
            if (needed > doubled)
            {
                cap = needed;
            }
            else if (cap < 256)
            {
                cap = doubled;
            }
            else
            {
                while (cap < needed)
                {
                    cap += (cap + (3 * 256)) / 4;
                }
            }
        }

        return cap;
    }

    /// <summary>The type name Go puts in error messages (a nil interface is <c>interface {}</c>).</summary>
    public static string TypeForError(object? v) => v is null ? "interface {}" : GoTypes.Name(v);
}
