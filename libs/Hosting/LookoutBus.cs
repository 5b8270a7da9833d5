using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lookout.Hosting;

/// <summary>The one place the bus is configured: RabbitMQ when <c>Bus:RabbitMq:Url</c> is set, in-memory otherwise.</summary>
public static class LookoutBus
{
    /// <summary>
    /// Adds MassTransit with the consumers <paramref name="configureConsumers"/> registers. Endpoints are named
    /// <c>{consumer-name}</c> in kebab case, so each consumer class gets its own durable queue.
    /// </summary>
    public static IServiceCollection AddLookoutBus(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        BusOptions options = ValidatedOptions.BindNow<BusOptions>(configuration, BusOptions.SectionName, BusOptions.Check);
        services.AddBoundOptions(options);
        services.TryAddSingleton<HostMetrics>();
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configureConsumers?.Invoke(bus);
            if (options.RabbitMq.IsConfigured)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    ConfigureHost(cfg, options.RabbitMq);
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.ConcurrentMessageLimit = options.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        // MassTransit's own hosted service would stop wherever its registration happens to fall; the bus is the
        // first stage up and the last down instead.
        services.RemoveMassTransitHostedService();
        services.AddStagedService(HostStage.Bus, "bus", sp => ActivatorUtilities.CreateInstance<MassTransitHostedService>(sp));
        return services;
    }

    /// <summary>Points a RabbitMQ bus at the configured broker, with publisher confirms on.</summary>
    public static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, RabbitMqOptions rabbit)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        ArgumentNullException.ThrowIfNull(rabbit);
        var uri = new Uri(rabbit.Url!);
        string? user = rabbit.Username;
        string? password = rabbit.Password;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            user ??= Uri.UnescapeDataString(parts[0]);
            password ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var withoutCredentials = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
        if (withoutCredentials.Scheme == "amqp" && withoutCredentials.IsDefaultPort)
        {
            withoutCredentials = new UriBuilder(withoutCredentials) { Port = 5672 }.Uri;
        }

        cfg.Host(withoutCredentials, h =>
        {
            if (user is not null)
            {
                h.Username(user);
            }

            if (password is not null)
            {
                h.Password(password);
            }

            h.PublisherConfirmation = true;
        });
    }
}
