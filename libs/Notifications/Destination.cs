namespace Lookout.Notifications;

/// <summary>Where a notification goes: a configured service (by its name) and a recipient (a channel, an address…).</summary>
/// <param name="Service">The service's name: <c>slack</c> for <c>service.slack</c>, <c>ops</c> for <c>service.webhook.ops</c>.</param>
/// <param name="Recipient">The recipient; empty when the service needs none (a webhook).</param>
public sealed record Destination(string Service, string Recipient)
{
    /// <inheritdoc/>
    public override string ToString() => $"{{{Service} {Recipient}}}";
}
