namespace Lookout.Values;

/// <summary>The Go type of a typed function's parameter, as text/template checks arguments against it.</summary>
public enum GoParamType
{
    /// <summary><c>interface{}</c>: any value.</summary>
    Any,

    /// <summary><c>string</c>.</summary>
    String,

    /// <summary><c>int</c>.</summary>
    Int,

    /// <summary><c>bool</c>.</summary>
    Bool,

    /// <summary><c>map[string]interface{}</c>.</summary>
    Map,

    /// <summary><c>time.Time</c>.</summary>
    Time,

    /// <summary><c>float64</c>.</summary>
    Float64,

    /// <summary><c>uint32</c>.</summary>
    UInt32,

    /// <summary><c>[]interface{}</c>.</summary>
    List,

    /// <summary>
    /// <c>reflect.Value</c>: the argument as it is, where an invalid value (a missing key) is an error and nil passes as
    /// nil. Only text/template's own builtins (<c>and</c>, <c>index</c>, <c>eq</c>...) take it; a signature cannot name it.
    /// </summary>
    Value,
}

/// <summary>Reads the parameter types a function declares (<c>"string int ...any"</c>), strictly: a misspelt type is an error.</summary>
public static class GoSignature
{
    /// <summary>One parameter type by its name: <c>any</c>, <c>string</c>, <c>int</c>, <c>bool</c>, <c>map</c>, <c>time</c>, <c>float64</c>, <c>uint32</c> or <c>list</c>.</summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    public static GoParamType ParseType(string name) => name switch
    {
        "any" => GoParamType.Any,
        "string" => GoParamType.String,
        "int" => GoParamType.Int,
        "bool" => GoParamType.Bool,
        "map" => GoParamType.Map,
        "time" => GoParamType.Time,
        "float64" => GoParamType.Float64,
        "uint32" => GoParamType.UInt32,
        "list" => GoParamType.List,
        _ => throw new ArgumentException($"unknown parameter type \"{name}\" (expected any, string, int, bool, map, time, float64, uint32 or list)", nameof(name)),
    };
}
