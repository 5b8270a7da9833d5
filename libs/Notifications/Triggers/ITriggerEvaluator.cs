namespace Lookout.Notifications.Triggers;

/// <summary>Evaluates the triggers of an object.</summary>
public interface ITriggerEvaluator
{
    /// <summary>The names of the triggers that can be evaluated.</summary>
    IReadOnlyCollection<string> TriggerNames { get; }

    /// <summary>
    /// Runs every condition of a trigger against the variables (<c>app</c>, <c>time</c>…). A condition whose
    /// evaluation fails counts as not triggered and is reported through <paramref name="errors"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The trigger is not configured (or was disabled by a configuration problem).</exception>
    IReadOnlyList<ConditionResult> Run(string trigger, IReadOnlyDictionary<string, object?> vars, ICollection<string>? errors = null);
}
