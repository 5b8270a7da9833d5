using Lookout.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher.Publishing;

/// <summary>Registers the watcher's publishing side.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BufferedPublisher"/> as the <see cref="IEventPublisher"/>, publishing on the MassTransit bus
    /// with each event's message id, in stage <see cref="HostStage.Publishing"/> (it drains after the watchers
    /// stopped and before the bus stops), and its readiness check.
    /// </summary>
    public static IServiceCollection AddEventPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PublisherOptions>(configuration, PublisherOptions.SectionName, PublisherOptions.Check);
        services.AddSingleton(sp => new PublisherMetrics(sp.GetRequiredService<HostMetrics>().Factory));
        services.AddSingleton(sp =>
        {
            IBus bus = sp.GetRequiredService<IBus>();
            return new BufferedPublisher(
                sp.GetRequiredService<IOptions<PublisherOptions>>().Value,
                (outgoing, ct) => PublishAsync(bus, outgoing, ct),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<BufferedPublisher>>(),
                sp.GetRequiredService<PublisherMetrics>());
        });
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<BufferedPublisher>());
        services.AddStagedService<BufferedPublisher>(HostStage.Publishing);
        services.AddHealthChecks().AddCheck<PublishingReadiness>("publishing", tags: [ServiceDefaults.ReadyTag]);
        return services;
    }

    /// <summary>Publishes one event with its message id; completes when the broker confirmed it.</summary>
    public static Task PublishAsync(IPublishEndpoint bus, OutgoingEvent outgoing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(outgoing);
        Guid id = outgoing.MessageId;
        return bus.Publish(outgoing.Message, outgoing.Message.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = id), cancellationToken);
    }
}

/// <summary>Not ready once publishing has failed for longer than <see cref="PublisherOptions.NotReadyAfter"/>.</summary>
public sealed class PublishingReadiness(BufferedPublisher publisher, IOptions<PublisherOptions> options) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        TimeSpan? failing = publisher.FailingFor;
        HealthCheckResult result = failing is { } f && f > options.Value.NotReadyAfter
            ? HealthCheckResult.Unhealthy($"publishing has failed for {f.TotalSeconds:F0} s; {publisher.Pending} events held")
            : HealthCheckResult.Healthy(failing is null ? $"{publisher.Pending} events held" : $"publishing failing for {failing.Value.TotalSeconds:F0} s");
        return Task.FromResult(result);
    }
}
