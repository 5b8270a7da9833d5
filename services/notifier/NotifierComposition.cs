using Lookout.Notifier.Consumers;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Notifier;

/// <summary>How the notifier is put together; used by its own host and by the all-in-one host.</summary>
public static class NotifierComposition
{
    /// <summary>Adds the notifier's services (see <see cref="NotifierServices"/>).</summary>
    public static IServiceCollection AddNotifier(this IServiceCollection services, IConfiguration configuration) =>
        services.AddNotificationPipeline(configuration);

    /// <summary>Registers the notifier's consumers on the bus.</summary>
    public static void AddNotifierConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ApplicationChangedConsumer, ApplicationChangedConsumerDefinition>();
        bus.AddConsumer<RolloutChangedConsumer, RolloutChangedConsumerDefinition>();
        bus.AddConsumer<NotificationRequestedConsumer, NotificationRequestedConsumerDefinition>();
        bus.AddConsumer<ObjectDeletedConsumer>();
    }
}
