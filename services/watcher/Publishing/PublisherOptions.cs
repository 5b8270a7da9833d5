namespace Lookout.Watcher.Publishing;

/// <summary>How the watcher holds and publishes events (configuration section <c>Publisher</c>).</summary>
public sealed class PublisherOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Publisher";

    /// <summary>Events held while the broker is slow or down; when full the watcher stops reading its watches.</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>
    /// Publishes awaiting their confirm at once. Events of one object always go through the same lane, one at a
    /// time, so they reach the broker in order.
    /// </summary>
    public int Lanes { get; set; } = 1000;

    /// <summary>How long one publish may wait for the broker's confirm before it is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// First pause after a failed publish; doubled per further failure up to <see cref="MaxRetryDelay"/> (the same
    /// <see cref="Lookout.Hosting.Backoff"/> as watch retries). A publish that goes through ends every lane's pause.
    /// </summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the pause between retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Readiness turns false once publishing has failed for longer than this (the broker is unreachable).</summary>
    public TimeSpan NotReadyAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At shutdown, how long the buffer keeps draining before what is left is given up (and logged).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Publisher</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(PublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BufferCapacity < 1)
        {
            yield return (nameof(BufferCapacity), "must be at least 1");
        }

        if (options.Lanes < 1 || options.Lanes > 4096)
        {
            yield return (nameof(Lanes), "must be between 1 and 4096");
        }

        foreach ((string name, TimeSpan value) in new[]
        {
            (nameof(AttemptTimeout), options.AttemptTimeout),
            (nameof(InitialRetryDelay), options.InitialRetryDelay),
            (nameof(MaxRetryDelay), options.MaxRetryDelay),
            (nameof(NotReadyAfter), options.NotReadyAfter),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return (name, "must be positive");
            }
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            yield return (nameof(DrainTimeout), "must not be negative");
        }
    }
}
