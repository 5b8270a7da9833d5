using System.Diagnostics.Metrics;
using Prometheus;

namespace Lookout.Hosting;

/// <summary>
/// The metrics registry a host owns: every metric of the host is created through <see cref="Factory"/> and served
/// from <see cref="Registry"/> on <c>/metrics</c>, so two hosts in one process (tests, the all-in-one host) never
/// share a series. Instruments of System.Diagnostics.Metrics that the host's own <see cref="IMeterFactory"/> created
/// (the analysis domain's <c>Lookout.Analysis</c> meter) are served from the same registry.
/// </summary>
public sealed class HostMetrics : IDisposable
{
    private readonly IDisposable? meters;

    /// <summary>Creates a registry with the .NET runtime's and the process's standard metrics.</summary>
    /// <param name="meterFactory">The host's meter factory; its meters' instruments are exported too (another host's are not).</param>
    public HostMetrics(IMeterFactory? meterFactory = null)
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        Factory = Metrics.WithCustomRegistry(Registry);
        if (meterFactory is not null)
        {
            meters = MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = Registry,
                MetricFactory = Factory,
                InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory),
            });
        }
    }

    /// <summary>The host's registry.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>The current value of one series, such as <c>lookout_watcher_leader</c> or <c>lookout_watcher_relists_total{kind="Application"}</c>; null when absent.</summary>
    public async Task<double?> ReadAsync(string series, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancellationToken).ConfigureAwait(false);
        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Stops exporting the host's meters.</summary>
    public void Dispose() => meters?.Dispose();
}
