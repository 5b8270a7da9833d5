using Lookout.Analysis.Providers.Prometheus;
using Lookout.Analysis.Providers.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lookout.Analysis.Providers;

/// <summary>The providers a run can use, by name.</summary>
public sealed class MetricProviders
{
    private readonly Dictionary<string, IMetricProvider> byName;

    public MetricProviders(IEnumerable<IMetricProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        // The first provider registered for a name wins, so a host can put its own (the demo's) ahead of the built-in one.
        byName = providers.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The registered names, for validation and messages.</summary>
    public IReadOnlyCollection<string> Names => byName.Keys;

    /// <summary>The provider for a name.</summary>
    public IMetricProvider this[string name] => byName[name];

    /// <summary>The built-in providers (Prometheus and web) over one HTTP client setup.</summary>
    public static MetricProviders Default(ProviderHttp http) => new([new PrometheusProvider(http), new WebProvider(http)]);
}

/// <summary>Registers providers.</summary>
public static class ProviderRegistration
{
    /// <summary>Adds one provider.</summary>
    public static IServiceCollection AddMetricProvider<T>(this IServiceCollection services)
        where T : class, IMetricProvider
    {
        services.AddSingleton<IMetricProvider, T>();
        return services;
    }

    /// <summary>Adds the built-in providers and the registry.</summary>
    public static IServiceCollection AddMetricProviders(this IServiceCollection services)
    {
        services.TryAddSingleton<ProviderHttp>();
        services.AddMetricProvider<PrometheusProvider>();
        services.AddMetricProvider<WebProvider>();
        services.TryAddSingleton<MetricProviders>();
        return services;
    }
}
