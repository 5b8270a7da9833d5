namespace Lookout.Hosting;

/// <summary>
/// The one retry delay policy (watch retries, publish retries): <see cref="Initial"/> after the first failure,
/// doubled per further failure, never more than <see cref="Max"/>.
/// </summary>
/// <param name="Initial">The delay after the first failure.</param>
/// <param name="Max">The upper bound.</param>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>The delay before retry number <paramref name="failures"/> (1 after the first failure).</summary>
    public TimeSpan Delay(int failures)
    {
        if (failures < 1)
        {
            return TimeSpan.Zero;
        }

        double factor = Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(Initial.Ticks * factor, Max.Ticks));
    }
}
