using System.Globalization;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Expr;

/// <summary>
/// Argo Rollouts' analysis conditions (<c>successCondition</c>, <c>failureCondition</c>): the environment Argo gives
/// them (<c>result</c>, <c>asInt</c>, <c>asFloat</c>, <c>isNaN</c>, <c>isInf</c>, <c>isNil</c>, <c>default</c>) and
/// their evaluation, compiled against that environment (typed) as Argo Rollouts does.
/// </summary>
public static partial class AnalysisConditions
{
    /// <summary>The environment of a condition for one measurement's result.</summary>
    public static ObjectMap Environment(object? result) => new()
    {
        ["result"] = result,
        ["asInt"] = new GoFunction("asInt", 1, 1, a => AsInt(a[0])),
        ["asFloat"] = new GoFunction("asFloat", 1, 1, a => AsFloat(a[0])),
        ["isNaN"] = new GoFunction("isNaN", 1, 1, a => double.IsNaN(Float64(a[0], "isNaN"))),
        ["isInf"] = new GoFunction("isInf", 1, 1, a => double.IsInfinity(Float64(a[0], "isInf"))),

        // As in Argo Rollouts, both look at the measurement's result whatever their first argument.
        ["isNil"] = new GoFunction("isNil", 1, 1, _ => result is null),
        ["default"] = new GoFunction("default", 2, 2, a => result ?? a[1]),
    };

    /// <summary>Evaluates a condition on a measurement's result; the result must be a boolean.</summary>
    /// <param name="result">The measurement's value in the object model (a number, a list, a string…).</param>
    /// <param name="condition">The condition's text.</param>
    /// <param name="source">Where it came from, e.g. <c>AnalysisTemplate success-rate metric error-rate successCondition</c>.</param>
    /// <exception cref="ExprException">The condition does not compile, fails, or is not a boolean.</exception>
    public static bool Evaluate(object? result, string condition, string source)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (IndexedResult().IsMatch(condition) && result is null or List<object?> { Count: 0 } or "")
        {
            throw new ExprException(
                "metric result is empty or unavailable, and the condition cannot index into result; guard the condition with len(result) > 0",
                source,
                condition,
                IndexedResult().Match(condition).Index);
        }

        ObjectMap env = Environment(result);
        var program = ExprProgram.Compile(condition, new ExprOptions { Source = source, Env = env });
        return program.RunBool(env);
    }

    [GeneratedRegex(@"\bresult\s*\[")]
    private static partial Regex IndexedResult();

    private static long AsInt(object? v) => v switch
    {
        long l => l,
        double d => Runtime.DoubleToInt(d),
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
        string s => throw new GoFunctionException($"strconv.ParseInt: parsing {GoFmt.Quote(s)}: invalid syntax"),
        _ => throw new GoFunctionException($"asInt() not supported on {GoFmt.TypeName(v)} {GoFmt.ToString(v)}"),
    };

    private static double AsFloat(object? v) => v switch
    {
        double d => d,
        long l => l,
        string s when Builtins.ParseFloat(s) is double d => d,
        string s => throw new GoFunctionException($"strconv.ParseFloat: parsing {GoFmt.Quote(s)}: invalid syntax"),
        _ => throw new GoFunctionException($"asFloat() not supported on {GoFmt.TypeName(v)} {GoFmt.ToString(v)}"),
    };

    private static double Float64(object? v, string name) => v switch
    {
        double d => d,
        long l => l,
        _ => throw new GoFunctionException($"cannot use {GoFmt.TypeName(v)} as argument (type float64) to call {name}"),
    };
}
