namespace Lookout.Notifications.Triggers;

/// <summary>One condition of a trigger, as written in <c>trigger.&lt;name&gt;</c>.</summary>
public sealed record Condition
{
    /// <summary>The expr-lang expression that fires the condition; empty means <c>false</c>, as upstream.</summary>
    public string When { get; init; } = string.Empty;

    /// <summary>An expression whose value makes the notification once per value (a revision) instead of once per transition.</summary>
    public string OncePer { get; init; } = string.Empty;

    /// <summary>What the condition is for (shown by the tools).</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The templates to send.</summary>
    public IReadOnlyList<string> Send { get; init; } = [];
}

/// <summary>A condition's outcome for one object.</summary>
/// <param name="Key"><c>[index].sha1(when)</c> in unpadded base64url, as notifications-engine names a condition.</param>
/// <param name="OncePer">The oncePer value (Go's <c>%v</c> of the result) when the condition fired and has oncePer; else empty.</param>
/// <param name="Templates">The templates to send.</param>
/// <param name="Triggered">Whether the condition is true.</param>
public sealed record ConditionResult(string Key, string OncePer, IReadOnlyList<string> Templates, bool Triggered);
