using System.Collections.Concurrent;

namespace Lookout.Notifier.Delivery;

/// <summary>
/// Per-service circuit breakers: after <c>CircuitFailures</c> consecutive failures a service's circuit opens and
/// sends fail at once for <c>CircuitOpenFor</c>; then one trial send closes it again or re-opens it.
/// </summary>
public sealed class CircuitBreakers(DeliveryOptions options, TimeProvider clock, NotifierMetrics? metrics = null)
{
    private readonly NotifierMetrics metrics = metrics ?? NotifierMetrics.Unserved();
    private readonly ConcurrentDictionary<string, Circuit> circuits = new(StringComparer.Ordinal);

    /// <summary>Whether a send to the service may go now; false while the circuit is open.</summary>
    public bool Allow(string service)
    {
        Circuit c = circuits.GetOrAdd(service, _ => new Circuit());
        lock (c)
        {
            if (c.OpenUntil is { } until && clock.GetUtcNow() < until)
            {
                return false;
            }

            return true;
        }
    }

    /// <summary>How long the service's circuit stays open from now (zero when it is closed).</summary>
    public TimeSpan RemainingOpen(string service)
    {
        Circuit c = circuits.GetOrAdd(service, _ => new Circuit());
        lock (c)
        {
            TimeSpan left = c.OpenUntil is { } until ? until - clock.GetUtcNow() : TimeSpan.Zero;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Records an outcome.</summary>
    public void Record(string service, bool succeeded)
    {
        Circuit c = circuits.GetOrAdd(service, _ => new Circuit());
        lock (c)
        {
            if (succeeded)
            {
                c.Failures = 0;
                c.OpenUntil = null;
            }
            else if (++c.Failures >= options.CircuitFailures)
            {
                c.OpenUntil = clock.GetUtcNow() + options.CircuitOpenFor;
            }

            metrics.SetCircuit(service, c.OpenUntil is not null);
        }
    }

    private sealed class Circuit
    {
        public int Failures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }
    }
}

/// <summary>
/// Rate limits per (service, recipient): Slack allows about one message per channel per second, and a 429's
/// <c>Retry-After</c> holds the whole key back until it passes.
/// </summary>
public sealed class RateLimits(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> nextAllowed = new(StringComparer.Ordinal);

    /// <summary>Waits until the key may send, then reserves the next slot <paramref name="interval"/> later.</summary>
    public async Task<TimeSpan> WaitAsync(string key, TimeSpan interval, CancellationToken cancellationToken)
    {
        TimeSpan waited = TimeSpan.Zero;
        while (true)
        {
            DateTimeOffset now = clock.GetUtcNow();
            DateTimeOffset allowed = nextAllowed.GetValueOrDefault(key, now);
            if (allowed <= now)
            {
                nextAllowed[key] = now + interval;
                return waited;
            }

            TimeSpan wait = allowed - now;
            waited += wait;
            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Holds the key back (a 429's Retry-After).</summary>
    public void HoldBack(string key, TimeSpan wait)
    {
        DateTimeOffset until = clock.GetUtcNow() + wait;
        nextAllowed.AddOrUpdate(key, until, (_, existing) => existing > until ? existing : until);
    }
}
