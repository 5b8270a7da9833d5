using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Expr;

internal enum NatureKind
{
    Unknown,
    Nil,
    Bool,
    Int,
    Float,
    String,
    Array,
    Map,
    Func,
    Time,
    Duration,
    Location,
}

/// <summary>What the checker knows of a value's type at compile time (expr's checker/nature, reduced to what the object model holds).</summary>
internal sealed record Nature(NatureKind Kind, Nature? Elem = null)
{
    public static readonly Nature Unknown = new(NatureKind.Unknown);
    public static readonly Nature Nil = new(NatureKind.Nil);
    public static readonly Nature Bool = new(NatureKind.Bool);
    public static readonly Nature Int = new(NatureKind.Int);
    public static readonly Nature Float = new(NatureKind.Float);
    public static readonly Nature String = new(NatureKind.String);
    public static readonly Nature AnyArray = new(NatureKind.Array, Unknown);
    public static readonly Nature StringArray = new(NatureKind.Array, String);
    public static readonly Nature IntArray = new(NatureKind.Array, Int);
    public static readonly Nature FloatArray = new(NatureKind.Array, Float);
    public static readonly Nature Map = new(NatureKind.Map, Unknown);
    public static readonly Nature Func = new(NatureKind.Func);
    public static readonly Nature Time = new(NatureKind.Time);
    public static readonly Nature Duration = new(NatureKind.Duration);
    public static readonly Nature Location = new(NatureKind.Location);

    public bool IsUnknown => Kind == NatureKind.Unknown;

    public bool IsNumber => Kind is NatureKind.Int or NatureKind.Float;

    public static Nature ArrayOf(Nature elem) => elem.Kind switch
    {
        NatureKind.Unknown or NatureKind.Nil => AnyArray,
        NatureKind.String => StringArray,
        NatureKind.Int => IntArray,
        NatureKind.Float => FloatArray,
        _ => new Nature(NatureKind.Array, elem),
    };

    public Nature ElemOrUnknown => Elem ?? Unknown;

    /// <summary>The nature of a value of the object model (typed compilation reads the environment's values).</summary>
    public static Nature Of(object? value) => value switch
    {
        null => Nil,
        bool => Bool,
        long or int => Int,
        double => Float,
        string => String,
        List<object?> => AnyArray,
        ObjectMap or Dictionary<object, object?> => Map,
        GoFunction => Func,
        GoTime => Time,
        GoDuration => Duration,
        GoLocation => Location,
        _ => Unknown,
    };

    /// <summary>True when a value of this nature can be passed where <paramref name="target"/> is expected.</summary>
    public bool AssignableTo(Nature target)
    {
        if (Kind == NatureKind.Nil)
        {
            return target.Kind is NatureKind.Unknown or NatureKind.Map or NatureKind.Array or NatureKind.Func;
        }

        if (target.IsUnknown)
        {
            return true;
        }

        if (Kind != target.Kind)
        {
            return false;
        }

        return Kind != NatureKind.Array || ElemOrUnknown.Equals(target.ElemOrUnknown);
    }

    public bool ComparableTo(Nature other) =>
        IsUnknown || other.IsUnknown || Kind == NatureKind.Nil || other.Kind == NatureKind.Nil ||
        (IsNumber && other.IsNumber) || (Kind == other.Kind && Kind is NatureKind.Duration or NatureKind.Time or NatureKind.Array) ||
        AssignableTo(other);

    /// <summary>expr's MaybeCompatible: one side unknown and the other one of the allowed kinds (or both unknown).</summary>
    public bool MaybeCompatible(Nature other, params NatureKind[] kinds) =>
        (IsUnknown && other.IsUnknown) ||
        (IsUnknown && IsAnyOf(other, kinds)) ||
        (other.IsUnknown && IsAnyOf(this, kinds));

    private static bool IsAnyOf(Nature n, NatureKind[] kinds)
    {
        foreach (NatureKind k in kinds)
        {
            if (n.Kind == k)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Kind switch
    {
        NatureKind.Unknown => "interface {}",
        NatureKind.Nil => "nil",
        NatureKind.Bool => "bool",
        NatureKind.Int => "int",
        NatureKind.Float => "float64",
        NatureKind.String => "string",
        NatureKind.Array => $"[]{ElemOrUnknown}",
        NatureKind.Map => "map[string]interface {}",
        NatureKind.Func => "func",
        NatureKind.Time => "time.Time",
        NatureKind.Duration => "time.Duration",
        NatureKind.Location => "*time.Location",
        _ => "unknown",
    };
}
