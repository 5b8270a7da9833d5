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
}

/// <summary>Reads the parameter types a function declares (<c>"string int ...any"</c>), strictly: a misspelt type is an error.</summary>
public static class GoSignature
{
    /// <summary>One parameter type by its name: <c>any</c>, <c>string</c>, <c>int</c>, <c>bool</c>, <c>map</c> or <c>time</c>.</summary>
    /// <exception cref="ArgumentException">The name is none of these.</exception>
    public static GoParamType ParseType(string name) => name switch
    {
        "any" => GoParamType.Any,
        "string" => GoParamType.String,
        "int" => GoParamType.Int,
        "bool" => GoParamType.Bool,
        "map" => GoParamType.Map,
        "time" => GoParamType.Time,
        _ => throw new ArgumentException($"unknown parameter type \"{name}\" (expected any, string, int, bool, map or time)", nameof(name)),
    };
}
