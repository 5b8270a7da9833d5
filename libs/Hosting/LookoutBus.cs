using System.Reflection;
using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lookout.Hosting;

/// <summary>
/// The one place the bus is configured, for every service: RabbitMQ when <c>Bus:RabbitMq:Url</c> is set, in-memory
/// otherwise; each object's messages in order at every consumer (<see cref="ObjectPartitions"/>); a fast reconnect; a
/// connection monitor with its metrics and readiness.
/// </summary>
public static class LookoutBus
{
    /// <summary>
    /// The deepest message the bus reads or writes: a Kubernetes object as deep as the API server allows (10,000
    /// levels) inside a message envelope.
    /// </summary>
    public const int MaxMessageDepth = 10_100;

    /// <summary>
    /// Adds MassTransit with the consumers <paramref name="configureConsumers"/> registers. Endpoints are named
    /// <c>{consumer-name}</c> in kebab case, so each consumer class gets its own durable queue; a consumer of messages
    /// about objects registered with <see cref="ObjectPartitions.AddOrderedConsumer{TConsumer, TMessage}"/> gets
    /// <see cref="BusOptions.Partitions"/> queues instead, and handles each object's messages in order. A service with
    /// consumers of the watcher's events asks the watcher for a resync once their queues are ready (<see cref="ResyncRequests"/>).
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
        services.TryAddSingleton(TimeProvider.System);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();

            // Readiness comes from BusConnectionMonitor, which allows Bus:NotReadyAfter of outage; MassTransit's own
            // check (any outage at once) stays registered, untagged.
            bus.ConfigureHealthCheckOptions(o => o.Tags.Clear());
            configureConsumers?.Invoke(bus);
            if (options.RabbitMq.IsConfigured)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    ConfigureHost(cfg, options.RabbitMq);
                    ReconnectEvery(cfg, options.ReconnectInterval);
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConfigureJsonSerializerOptions(json => { json.MaxDepth = MaxMessageDepth; return json; });
                    RouteByObject(cfg);
                    foreach ((OrderedConsumer consumer, string queue, string pattern) in Partitions(context, options.Partitions))
                    {
                        string exchange = consumer.ExchangeOf(cfg);
                        cfg.ReceiveEndpoint(queue, e =>
                        {
                            e.ConfigureConsumeTopology = false;
                            e.ConcurrentMessageLimit = 1;
                            e.SingleActiveConsumer = true;

                            // message exchange (fanout, as every publisher declares it) → its by-object topic exchange → this partition
                            e.Bind(exchange + ".by-object", topic =>
                            {
                                topic.ExchangeType = RabbitMQ.Client.ExchangeType.Topic;
                                topic.RoutingKey = pattern;
                                topic.Bind(exchange, fanout => fanout.ExchangeType = RabbitMQ.Client.ExchangeType.Fanout);
                            });
                            consumer.Configure(e, context);
                        });
                    }

                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.ConcurrentMessageLimit = options.PrefetchCount;
                    cfg.ConfigureJsonSerializerOptions(json => { json.MaxDepth = MaxMessageDepth; return json; });
                    RouteByObject(cfg);
                    foreach ((OrderedConsumer consumer, string queue, string pattern) in Partitions(context, options.Partitions))
                    {
                        // In memory, the message types' exchanges are topic exchanges themselves (every publisher and
                        // consumer is in this process and configured here).
                        consumer.TopicExchangeInMemory(cfg);
                        string exchange = consumer.ExchangeOf(cfg);
                        cfg.ReceiveEndpoint(queue, e =>
                        {
                            e.ConfigureConsumeTopology = false;
                            e.ConcurrentMessageLimit = 1;
                            e.Bind(exchange, MassTransit.Transports.Fabric.ExchangeType.Topic, pattern);
                            consumer.Configure(e, context);
                        });
                    }

                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        // MassTransit's own hosted service would stop wherever its registration happens to fall; the bus is the
        // first stage up and the last down instead.
        services.RemoveMassTransitHostedService();
        services.AddStagedService(HostStage.Bus, "bus", sp => ActivatorUtilities.CreateInstance<MassTransitHostedService>(sp));
        services.AddSingleton<ResyncRequests>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ResyncRequests>());
        services.AddStagedService<ResyncRequests>(HostStage.Publishing);
        services.AddSingleton<BusConnectionMonitor>();
        services.AddStagedService<BusConnectionMonitor>(HostStage.Bus);
        services.AddHealthChecks().AddCheck<BusReadiness>("bus", tags: [ServiceDefaults.ReadyTag]);
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

    /// <summary>
    /// Makes the RabbitMQ transport retry its connection every <paramref name="interval"/>, forever. MassTransit 8.5
    /// hard-codes an exponential 3–30 s policy for both receiving and sending and offers no setting for it, so the
    /// policy of the configured host is replaced; should a MassTransit update rename what is replaced, the service
    /// fails at start naming this method instead of silently reconnecting slowly.
    /// </summary>
    /// <exception cref="InvalidOperationException">The MassTransit version does not have the expected policy field.</exception>
    public static void ReconnectEvery(IRabbitMqBusFactoryConfigurator cfg, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;
        object? host = cfg.GetType().GetField("_hostConfiguration", Instance)?.GetValue(cfg);
        FieldInfo? policy = host?.GetType().GetField("<ReceiveTransportRetryPolicy>k__BackingField", Instance);
        if (host is null || policy is null || policy.FieldType != typeof(IRetryPolicy))
        {
            throw new InvalidOperationException(
                $"LookoutBus.ReconnectEvery: MassTransit {typeof(IBus).Assembly.GetName().Version} has no RabbitMQ host retry policy where 8.5 keeps it; update this method");
        }

        var current = (IRetryPolicy)policy.GetValue(host)!;
        int milliseconds = (int)Math.Max(1, interval.TotalMilliseconds);

        // The same exceptions as MassTransit's own policy (connection failures), at a steady short interval.
        policy.SetValue(host, Retry.CreatePolicy(r =>
        {
            r.Handle<Exception>(ex => current.IsHandled(ex));
            r.Incremental(int.MaxValue, TimeSpan.FromMilliseconds(milliseconds), TimeSpan.Zero);
        }));
    }

    // Each ordered consumer's partition queues with the topic pattern each binds (see ObjectPartitions).
    private static IEnumerable<(OrderedConsumer Consumer, string Queue, string Pattern)> Partitions(IServiceProvider context, int partitions) =>
        from consumer in context.GetServices<OrderedConsumer>()
        from i in Enumerable.Range(0, partitions)
        select (consumer, ObjectPartitions.QueueName(consumer.EndpointName, i, partitions), ObjectPartitions.Pattern(i, partitions));

    // Every message about an object is published with its object's routing key (ObjectPartitions.RoutingKey).
    private static void RouteByObject(IBusFactoryConfigurator cfg)
    {
        cfg.SendTopology.UseRoutingKeyFormatter<ApplicationChanged>(c => ObjectPartitions.RoutingKey(c.Message.Object));
        cfg.SendTopology.UseRoutingKeyFormatter<RolloutChanged>(c => ObjectPartitions.RoutingKey(c.Message.Object));
        cfg.SendTopology.UseRoutingKeyFormatter<ObjectDeleted>(c => ObjectPartitions.RoutingKey(c.Message.Object));
        cfg.SendTopology.UseRoutingKeyFormatter<NotificationRequested>(c => ObjectPartitions.RoutingKey(c.Message.Object));
        cfg.SendTopology.UseRoutingKeyFormatter<AnalysisVerdict>(c => ObjectPartitions.RoutingKey(c.Message.Rollout));
        cfg.SendTopology.UseRoutingKeyFormatter<RolloutEventRecorded>(c => ObjectPartitions.RoutingKey(c.Message.Rollout));
    }
}
