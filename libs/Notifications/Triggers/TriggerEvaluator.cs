using System.Security.Cryptography;
using System.Text;
using Lookout.Expr;
using Lookout.Values;

namespace Lookout.Notifications.Triggers;

/// <summary>
/// Compiled triggers, evaluated as notifications-engine's <c>triggers.Service.Run</c> does: each condition is
/// compiled once without an environment; <c>oncePer</c> is evaluated only when the condition fired.
/// </summary>
public sealed class TriggerEvaluator : ITriggerEvaluator
{
    private readonly Dictionary<string, CompiledCondition[]> triggers;

    private TriggerEvaluator(Dictionary<string, CompiledCondition[]> triggers) => this.triggers = triggers;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TriggerNames => triggers.Keys;

    /// <summary>Compiles one trigger's conditions.</summary>
    /// <exception cref="ExprException">A condition does not compile; the message names the source and position.</exception>
    public static CompiledCondition[] Compile(string name, IReadOnlyList<Condition> conditions, string source)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var compiled = new CompiledCondition[conditions.Count];
        for (int i = 0; i < conditions.Count; i++)
        {
            Condition c = conditions[i];
            string when = c.When.Length == 0 ? "false" : c.When;
            ExprProgram whenProgram = ExprProgram.Compile(when, new ExprOptions { Source = $"{source} [{i}].when" });
            ExprProgram? oncePer = c.OncePer.Length == 0 ? null : ExprProgram.Compile(c.OncePer, new ExprOptions { Source = $"{source} [{i}].oncePer" });
            compiled[i] = new CompiledCondition(name, c, $"[{i}].{Hash(c.When)}", whenProgram, oncePer);
        }

        return compiled;
    }

    /// <summary>Builds the evaluator from triggers compiled with <see cref="Compile"/>.</summary>
    public static TriggerEvaluator Create(IReadOnlyDictionary<string, CompiledCondition[]> compiled)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        return new TriggerEvaluator(compiled.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public IReadOnlyList<ConditionResult> Run(string trigger, IReadOnlyDictionary<string, object?> vars, ICollection<string>? errors = null)
    {
        if (!triggers.TryGetValue(trigger, out CompiledCondition[]? conditions))
        {
            throw new KeyNotFoundException($"trigger '{trigger}' is not configured");
        }

        var results = new ConditionResult[conditions.Length];
        for (int i = 0; i < conditions.Length; i++)
        {
            results[i] = conditions[i].Run(vars, errors);
        }

        return results;
    }

    /// <summary>notifications-engine's condition hash: SHA-1 of the <c>when</c> text, unpadded base64url.</summary>
    public static string Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
#pragma warning disable CA5350 // Not security: the condition key must equal notifications-engine's, which is SHA-1.
        byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

/// <summary>A condition with its expressions compiled.</summary>
public sealed record CompiledCondition(string Trigger, Condition Condition, string Key, ExprProgram When, ExprProgram? OncePer)
{
    /// <summary>Evaluates the condition; a failing evaluation is not triggered and is reported.</summary>
    public ConditionResult Run(IReadOnlyDictionary<string, object?> vars, ICollection<string>? errors)
    {
        bool triggered = false;
        try
        {
            // A non-boolean result is "not triggered", as upstream's type assertion.
            triggered = When.Run(vars) is true;
        }
        catch (Exception ex) when (ex is ExprException or GoFunctionException)
        {
            errors?.Add($"trigger {Trigger} condition {Key}: failed to execute when condition: {ex.Message}");
        }

        string oncePer = string.Empty;
        if (triggered && OncePer is not null)
        {
            try
            {
                oncePer = GoFmt.ToString(OncePer.Run(vars));
            }
            catch (Exception ex) when (ex is ExprException or GoFunctionException)
            {
                errors?.Add($"trigger {Trigger} condition {Key}: failed to execute oncePer condition: {ex.Message}");
            }
        }

        return new ConditionResult(Key, oncePer, Condition.Send, triggered);
    }
}
