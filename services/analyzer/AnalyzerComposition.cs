using Lookout.Analyzer.Consumers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Analyzer;

/// <summary>How the analyzer is put together; used by its own Program and by the all-in-one host.</summary>
public static class AnalyzerComposition
{
    /// <summary>Adds the analyzer's services (none beyond its consumers yet).</summary>
    public static IServiceCollection AddAnalyzer(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Registers the analyzer's consumers on the bus.</summary>
    public static void AddAnalyzerConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<RolloutAnalysisConsumer>();
    }
}
