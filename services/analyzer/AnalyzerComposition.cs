using k8s;
using Lookout.Analysis.Assessment;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Providers;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Lookout.Analyzer.Consumers;
using Lookout.Analyzer.Demo;
using Lookout.Analyzer.Gate;
using Lookout.Analyzer.Kubernetes;
using Lookout.Analyzer.Requests;
using Lookout.Analyzer.Rollouts;
using Lookout.Analyzer.Runs;
using Lookout.Analyzer.Shadow;
using Lookout.Contracts;
using Lookout.Hosting;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Analyzer;

/// <summary>How the analyzer is put together; used by its own Program and by the all-in-one host.</summary>
public static class AnalyzerComposition
{
    /// <summary>
    /// Adds the analysis domain (providers, conditions, runner), gate mode and where templates come from:
    /// <c>Analyzer:TemplatesPath</c> (files), else the cluster (<c>Analyzer:ApiServer</c>, <c>Analyzer:Kubeconfig</c>
    /// or in-cluster), else an empty folder store (gate runs then end in Error naming the missing template).
    /// </summary>
    public static IServiceCollection AddAnalyzer(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<AnalyzerOptions>(configuration, AnalyzerOptions.SectionName, AnalyzerOptions.Check);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value);
        services.AddAnalysisDemo(configuration);
        services.AddMetricProviders();
        services.TryAddSingleton<AnalysisConditions>();
        services.TryAddSingleton<IMeasurementAssessor, MeasurementAssessor>();
        services.TryAddSingleton<AnalysisMeters>();
        services.TryAddSingleton<HostMetrics>();
        services.TryAddSingleton(sp => new AnalyzerMetrics(sp.GetRequiredService<HostMetrics>().Factory));
        services.TryAddSingleton<IMeasurementTaker, MeasurementTaker>();
        services.TryAddSingleton<AnalysisRunner>();
        services.TryAddSingleton(sp => new RunRegistry(sp.GetRequiredService<AnalyzerOptions>().RecentRuns));
        services.TryAddSingleton(sp => Cluster(sp.GetRequiredService<AnalyzerOptions>()));
        services.TryAddSingleton<ITemplateStore>(sp =>
            sp.GetRequiredService<AnalyzerOptions>() is { TemplatesPath: { Length: > 0 } path } ? new FileTemplateStore(path)
            : sp.GetRequiredService<AnalyzerCluster>().Client is { } client ? new KubernetesTemplateStore(client)
            : new FileTemplateStore(Path.Combine(AppContext.BaseDirectory, "templates")));
        services.TryAddSingleton(sp => new RunFactory(
            sp.GetRequiredService<ITemplateStore>(),
            sp.GetRequiredService<AnalyzerCluster>().Client is { } client ? new KubernetesSecretReader(client) : null,
            sp.GetRequiredService<MetricProviders>()));
        services.TryAddSingleton<RunJudge>();
        services.TryAddSingleton<GateKeeper>();
        services.TryAddSingleton<ShadowKeeper>();
        services.TryAddSingleton(sp => new RolloutObserver(
            sp.GetRequiredService<GateKeeper>(),
            sp.GetRequiredService<AnalyzerOptions>().Shadow ? sp.GetRequiredService<ShadowKeeper>() : null));
        services.TryAddSingleton(sp => new AnalysisRequests(
            sp.GetRequiredService<RunJudge>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AnalysisRequests>>()));
        services.TryAddSingleton<RolloutResync>();
        services.AddStagedService<RolloutResync>(HostStage.Sources);
        return services;
    }

    /// <summary>Registers the analyzer's consumers on the bus: each Rollout's changes in order; analysis requests.</summary>
    public static void AddAnalyzerConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddOrderedConsumer<RolloutAnalysisConsumer, RolloutChanged>();
        bus.AddConsumer<AnalysisRequestConsumer>();
    }

    /// <summary>Maps <c>/api/v1/runs</c>: current and recent runs with their measurements.</summary>
    public static IEndpointRouteBuilder MapAnalyzerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/v1/runs", (RunRegistry runs) => Results.Json(runs.List()));
        return endpoints;
    }

    private static AnalyzerCluster Cluster(AnalyzerOptions options)
    {
        KubernetesClientConfiguration? config =
            !string.IsNullOrWhiteSpace(options.ApiServer) ? new KubernetesClientConfiguration { Host = options.ApiServer.TrimEnd('/') }
            : !string.IsNullOrWhiteSpace(options.Kubeconfig) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : null;
        return new AnalyzerCluster(config is null ? null : new k8s.Kubernetes(config));
    }
}

/// <summary>The Kubernetes client the analyzer reads templates and Secrets with; null without a cluster.</summary>
public sealed record AnalyzerCluster(IKubernetes? Client);
