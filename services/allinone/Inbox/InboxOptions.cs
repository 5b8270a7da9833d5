namespace Lookout.AllInOne.Inbox;

/// <summary>The inbox page's settings (section <c>Inbox</c>).</summary>
public sealed class InboxOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Inbox";

    /// <summary>How many messages the inbox keeps (the oldest go first).</summary>
    public int Capacity { get; set; } = 1000;

    /// <summary>
    /// Every notification goes to the inbox, configured service or not: nothing is sent out. On when the all-in-one
    /// runs the demo on its bundled configuration (whose Slack settings are the seed's placeholders).
    /// </summary>
    public bool CaptureAll { get; set; }

    /// <summary>How often an idle event stream sends a keep-alive comment.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Inbox</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(InboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Capacity < 1)
        {
            yield return (nameof(Capacity), "must be at least 1");
        }

        if (options.KeepAlive <= TimeSpan.Zero)
        {
            yield return (nameof(KeepAlive), "must be positive");
        }
    }
}
