using System.Text.Json;
using Lookout.Expr;
using Lookout.Notifications.Scope;
using Lookout.Values;
using Lookout.Values.Time;

namespace Lookout.Lang;

/// <summary>
/// <c>lookout-lang expr eval</c> (also <c>notifier expr eval</c>): reads JSON lines <c>{"expr", "env", "typed"?, "argo"?}</c> and writes one line per case,
/// <c>{"ok": value}</c> or <c>{"err": "message"}</c>, the protocol of the conformance files. <c>"typed": true</c>
/// compiles against <c>env</c> (as Argo Rollouts compiles analysis conditions); otherwise the expression is compiled
/// without an environment (as Argo CD compiles trigger conditions). <c>"argo": true</c> adds Argo CD's <c>time</c>
/// and <c>strings</c> helpers to <c>env</c>. Non-finite numbers are written as "+Inf", "-Inf" and "NaN".
/// </summary>
public static class ExprEvalCommand
{
    /// <summary>Runs until the input ends; returns 0, or 2 when a line is not a valid case.</summary>
    public static Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken) =>
        JsonLines.RunAsync(input, output, (line, number) => Evaluate(line, number), cancellationToken);

    /// <summary>Evaluates one case line and returns the result line.</summary>
    public static string Evaluate(string line, int lineNumber = 1)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("expr", out JsonElement exprElement) || exprElement.ValueKind != JsonValueKind.String)
        {
            return JsonLines.Error($"line {lineNumber}: \"expr\" (a string) is required");
        }

        object? envValue = root.TryGetProperty("env", out JsonElement envElement) ? ObjectModel.FromJsonElement(envElement) : null;
        if (envValue is not null and not ObjectMap)
        {
            return JsonLines.Error($"line {lineNumber}: \"env\" must be an object");
        }

        var env = envValue as ObjectMap ?? new ObjectMap();
        if (root.TryGetProperty("argo", out JsonElement argo) && argo.ValueKind == JsonValueKind.True)
        {
            env.TryAdd("time", ArgoHelpers.Time());
            env.TryAdd("strings", ArgoHelpers.Strings());
        }

        bool typed = root.TryGetProperty("typed", out JsonElement typedFlag) && typedFlag.ValueKind == JsonValueKind.True;
        try
        {
            var program = ExprProgram.Compile(exprElement.GetString()!, new ExprOptions { Source = $"line {lineNumber}", Env = typed ? env : null });
            return Ok(program.Run(env));
        }
        catch (ExprException ex)
        {
            return JsonLines.Error(ex.Message);
        }
        catch (GoFunctionException ex)
        {
            return JsonLines.Error(ex.Message);
        }
    }

    // The result is walked under a budget of its own: a value nested too deeply, or sharing its lists so that it
    // unfolds exponentially, is answered with an error instead of exhausting the tool.
    private static string Ok(object? value)
    {
        var budget = new EvaluationBudget();
        EvaluationBudget? outer = budget.Enter();
        try
        {
            return "{\"ok\":" + ObjectModel.ToJson(Printable(value, 0)) + "}";
        }
        catch (EvaluationLimitException ex)
        {
            throw new GoFunctionException("json: " + ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            throw new GoFunctionException("json: " + ex.Message);
        }
        finally
        {
            EvaluationBudget.Exit(outer);
        }
    }

    /// <summary>What Go's JSON encoder would write: times as RFC 3339, durations as nanoseconds; maps with
    /// non-string keys and functions cannot be encoded.</summary>
    private static object? Printable(object? value, int depth) => value switch
    {
        GoTime t => t.Format(GoLayouts.RFC3339Nano),
        GoDuration d => d.Nanoseconds,
        GoLocation l => l.Name,
        string s => Written(s),
        ObjectMap map => Visited(map, depth, map.Count).ToObjectMap(kv => Written(kv.Key), kv => Printable(kv.Value, depth + 1)),
        List<object?> list => Visited(list, depth, list.Count).Select(x => Printable(x, depth + 1)).ToList(),
        Dictionary<object, object?> => throw new GoFunctionException("json: unsupported type: map[interface {}]interface {}"),
        GoFunction => throw new GoFunctionException("json: unsupported type: func(...interface {}) (interface {}, error)"),
        _ => value,
    };

    // The copy of a list or map, and every string the answer will hold (a string in a list that holds itself twice,
    // doubled, is written many times), are charged to the budget before they are made.
    private static T Visited<T>(T value, int depth, int count)
    {
        EvaluationBudget.Visit(depth, "encoding the result");
        EvaluationBudget.Charge(count);
        return value;
    }

    private static string Written(string s)
    {
        EvaluationBudget.Charge(s.Length);
        return s.AsSpan().IndexOfAnyInRange('\uDC80', '\uDCFF') >= 0 ? string.Concat(s.Select(c => c is >= '\uDC80' and <= '\uDCFF' ? '\uFFFD' : c)) : s;
    }

}
