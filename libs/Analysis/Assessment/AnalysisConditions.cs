using System.Collections.Concurrent;
using System.Globalization;
using Lookout.Expr;
using Lookout.Values;

namespace Lookout.Analysis.Assessment;

/// <summary>
/// Argo Rollouts' analysis conditions (<c>successCondition</c>, <c>failureCondition</c>): the environment Argo gives
/// them (<c>result</c>, <c>asInt</c>, <c>asFloat</c>, <c>isNaN</c>, <c>isInf</c>, <c>isNil</c>, <c>default</c>) and
/// their evaluation, compiled against that environment (typed) as Argo Rollouts does.
/// </summary>
/// <remarks>
/// Argo compiles a condition for every measurement, against the measurement's own result, so a condition's type
/// check depends on the result's type (a float from a Prometheus scalar, a list from a vector, a string from a web
/// body). Here a condition is compiled once per result type and kept: every run of a template and every measurement
/// after the first of its kind reuse the program.
/// </remarks>
public sealed class AnalysisConditions
{
    private static readonly GoFunction AsIntFunction = new("asInt", 1, 1, a => AsInt(a[0]));
    private static readonly GoFunction AsFloatFunction = new("asFloat", 1, 1, a => AsFloat(a[0]));
    private static readonly GoFunction IsNaNFunction = new("isNaN", 1, 1, a => double.IsNaN(Float64(a[0], "isNaN")));
    private static readonly GoFunction IsInfFunction = new("isInf", 1, 1, a => double.IsInfinity(Float64(a[0], "isInf")));

    private readonly ConcurrentDictionary<(string Text, ResultShape Shape), Compiled> cache = new();
    private readonly int capacity;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> compiled conditions.</summary>
    public AnalysisConditions(int capacity = 10_000) => this.capacity = capacity;

    /// <summary>A shared instance for callers without dependency injection (tools, tests).</summary>
    public static AnalysisConditions Shared { get; } = new();

    /// <summary>How many conditions have been compiled (each condition text once per result type).</summary>
    public int CompiledCount => cache.Count;

    /// <summary>The environment of a condition for one measurement's result.</summary>
    public static ObjectMap Environment(object? result) => new()
    {
        ["result"] = result,
        ["asInt"] = AsIntFunction,
        ["asFloat"] = AsFloatFunction,
        ["isNaN"] = IsNaNFunction,
        ["isInf"] = IsInfFunction,

        // As in Argo Rollouts, both look at the measurement's result whatever their first argument.
        ["isNil"] = new GoFunction("isNil", 1, 1, _ => result is null),
        ["default"] = new GoFunction("default", 2, 2, a => result ?? a[1]),
    };

    /// <summary>Evaluates a condition on a measurement's result; the result must be a boolean.</summary>
    /// <param name="result">The measurement's value in the object model (a number, a list, a string…).</param>
    /// <param name="condition">The condition's text.</param>
    /// <param name="source">Where it came from, e.g. <c>metric error-rate successCondition</c>.</param>
    /// <exception cref="ExprException">The condition does not compile, fails, or is not a boolean.</exception>
    public bool Evaluate(object? result, string condition, string source)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ResultShape shape = ShapeOf(result);
        Compiled compiled = cache.TryGetValue((condition, shape), out Compiled? hit) ? hit : Compile(condition, shape, source);
        if (compiled.Error is not null)
        {
            throw compiled.Error;
        }

        return compiled.Program!.RunBool(Environment(result));
    }

    private Compiled Compile(string condition, ResultShape shape, string source)
    {
        Compiled compiled;
        try
        {
            compiled = new Compiled(ExprProgram.Compile(condition, new ExprOptions { Source = source, Env = Environment(Representative(shape)) }), null);
        }
        catch (ExprException ex)
        {
            compiled = new Compiled(null, ex);
        }

        if (cache.Count < capacity)
        {
            cache.TryAdd((condition, shape), compiled);
        }

        return compiled;
    }

    /// <summary>The kind of value a result is: typed compilation depends on it and on nothing else.</summary>
    public static ResultShape ShapeOf(object? result) => result switch
    {
        null => ResultShape.Nil,
        bool => ResultShape.Bool,
        long or int => ResultShape.Int,
        double => ResultShape.Float,
        string => ResultShape.String,
        List<object?> => ResultShape.List,
        ObjectMap => ResultShape.Map,
        _ => ResultShape.Other,
    };

    private static object? Representative(ResultShape shape) => shape switch
    {
        ResultShape.Bool => false,
        ResultShape.Int => 0L,
        ResultShape.Float => 0.0,
        ResultShape.String => string.Empty,
        ResultShape.List => new List<object?>(),
        ResultShape.Map => new ObjectMap(),
        _ => null,
    };

    private static long AsInt(object? v) => v switch
    {
        long l => l,
        double d => double.IsNaN(d) || d >= 9.2233720368547758E+18 || d < -9.2233720368547758E+18 ? long.MinValue : (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
        string s => throw new GoFunctionException($"strconv.ParseInt: parsing {GoFmt.Quote(s)}: invalid syntax"),
        _ => throw new GoFunctionException($"asInt() not supported on {GoFmt.TypeName(v)} {GoFmt.ToString(v)}"),
    };

    private static double AsFloat(object? v) => v switch
    {
        double d => d,
        long l => l,
        string s when ParseFloat(s) is double d => d,
        string s => throw new GoFunctionException($"strconv.ParseFloat: parsing {GoFmt.Quote(s)}: invalid syntax"),
        _ => throw new GoFunctionException($"asFloat() not supported on {GoFmt.TypeName(v)} {GoFmt.ToString(v)}"),
    };

    /// <summary>strconv.ParseFloat(s, 64) for the forms a metric returns: decimals, exponents, Inf and NaN.</summary>
    private static double? ParseFloat(string s)
    {
        string t = s.TrimStart('+', '-');
        if (s.Length - t.Length > 1 || t.Length == 0)
        {
            return null;
        }

        bool negative = s[0] == '-';
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase) && s.Length == t.Length)
        {
            return double.NaN;
        }

        return (char.IsAsciiDigit(t[0]) || t[0] == '.')
            && double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double d)
            && !double.IsInfinity(d) ? d : null;
    }

    private static double Float64(object? v, string name) => v switch
    {
        double d => d,
        long l => l,
        _ => throw new GoFunctionException($"cannot use {GoFmt.TypeName(v)} as argument (type float64) to call {name}"),
    };

    private sealed record Compiled(ExprProgram? Program, ExprException? Error);
}

/// <summary>The type of a measurement's result, as far as compiling a condition is concerned.</summary>
public enum ResultShape
{
    Nil,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
    Other,
}
