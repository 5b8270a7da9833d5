namespace Lookout.Watcher.Resync;

/// <summary>How the leader answers <see cref="Contracts.ResyncRequested"/> (configuration section <c>Watcher:Resync</c>).</summary>
public sealed class ResyncOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Watcher:Resync";

    /// <summary>
    /// The shortest time between the starts of two resyncs. A request inside it is deferred to its end (never
    /// dropped), and every request that arrives meanwhile is answered by that one resync.
    /// </summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Watcher:Resync</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(ResyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinInterval < TimeSpan.Zero)
        {
            yield return (nameof(MinInterval), "must not be negative");
        }
    }
}
