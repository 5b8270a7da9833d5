namespace Lookout.Analysis.Runs;

/// <summary>
/// A clock that runs <c>scale</c> times faster than the clock it wraps from the moment it is created: the
/// demo plays a template's <c>interval: 30s</c> in 3 s at scale 10 without editing the template. Timestamps it
/// gives are on the fast clock; elapsed-time measurements (<see cref="TimeProvider.GetTimestamp"/>) stay real.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider inner;
    private readonly double scale;
    private readonly DateTimeOffset origin;

    public ScaledTimeProvider(TimeProvider inner, double scale)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        this.inner = inner;
        this.scale = scale;
        origin = inner.GetUtcNow();
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => origin + ((inner.GetUtcNow() - origin) * scale);

    /// <inheritdoc/>
    public override long GetTimestamp() => inner.GetTimestamp();

    /// <inheritdoc/>
    public override long TimestampFrequency => inner.TimestampFrequency;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : t / scale;
}
