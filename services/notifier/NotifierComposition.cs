using Lookout.Contracts;
using Lookout.Hosting;
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

    /// <summary>
    /// Registers the notifier's consumers on the bus, each keeping every object's messages in order (evaluation sees
    /// an object's states as they happened; its notifications are delivered in that order).
    /// </summary>
    public static void AddNotifierConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddOrderedConsumer<ApplicationChangedConsumer, ApplicationChanged>();
        bus.AddOrderedConsumer<RolloutChangedConsumer, RolloutChanged>();
        bus.AddOrderedConsumer<RolloutEventRecordedConsumer, RolloutEventRecorded>();
        bus.AddOrderedConsumer<NotificationRequestedConsumer, NotificationRequested>();
        bus.AddOrderedConsumer<ObjectDeletedConsumer, ObjectDeleted>();
    }
}
