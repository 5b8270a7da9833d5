using System.Collections.Concurrent;
using System.Globalization;
using Lookout.Analyzer.Gate;
using Lookout.Analyzer.Shadow;
using Lookout.Contracts;
using Lookout.Values;

namespace Lookout.Analyzer.Rollouts;

/// <summary>
/// Where every Rollout state the analyzer learns of goes (the bus's <see cref="RolloutChanged"/> and the list taken
/// at start-up): decoded once, then handed to gate mode and, when <c>Analyzer:Shadow</c> is on, shadow mode. A state
/// older than one already seen (a lower resourceVersion, as the API server's are ordered) is skipped, so a message
/// that waited in a queue cannot take a Rollout back behind what the start-up list showed.
/// </summary>
public sealed class RolloutObserver(GateKeeper gate, ShadowKeeper? shadow = null)
{
    private readonly ConcurrentDictionary<string, ulong> newest = new(StringComparer.Ordinal);

    /// <summary>Looks at one state of a Rollout; false when it was older than one already seen.</summary>
    public bool Observe(RolloutChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (ulong.TryParse(change.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out ulong version))
        {
            ulong seen = newest.AddOrUpdate(change.Object.Uid, version, (_, old) => Math.Max(old, version));
            if (seen > version)
            {
                return false;
            }
        }

        if (ObjectModel.FromJsonElement(change.Body) is not ObjectMap rollout)
        {
            return true;
        }

        gate.Observe(change, rollout);
        shadow?.Observe(change, rollout);
        return true;
    }
}
