namespace Lookout.Notifications.Configuration;

/// <summary>
/// A configuration entry that could not be used, with the reason and the position inside the entry's text. Only the
/// entry is disabled; everything else keeps working.
/// </summary>
/// <param name="Key">The ConfigMap key (<c>trigger.on-deployed</c>, <c>service.slack</c>…).</param>
/// <param name="Message">What is wrong, naming the line and column where the parser knows them. Never a secret's value.</param>
/// <param name="Disabled">Whether the entry was disabled (false for a warning, such as a trigger sending an unknown template).</param>
public sealed record ConfigProblem(string Key, string Message, bool Disabled = true)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Key}: {Message}{(Disabled ? " (entry disabled)" : string.Empty)}";
}
