using Lookout.Hosting;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lookout.Watcher.Publishing;

/// <summary>Registers the watcher's publishing side.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BufferedPublisher"/> as the <see cref="IEventPublisher"/>, publishing on the MassTransit bus
    /// with each event's message id. Register it before the watchers, so that at shutdown the watchers stop first
    /// and the buffer drains after them.
    /// </summary>
    public static IServiceCollection AddEventPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PublisherOptions>(configuration, PublisherOptions.SectionName, PublisherOptions.Check);
        services.AddSingleton(sp =>
        {
            IBus bus = sp.GetRequiredService<IBus>();
            return new BufferedPublisher(
                sp.GetRequiredService<IOptions<PublisherOptions>>().Value,
                (outgoing, ct) => PublishAsync(bus, outgoing, ct),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<BufferedPublisher>>());
        });
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<BufferedPublisher>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BufferedPublisher>());
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
