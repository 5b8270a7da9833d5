using System.Text;
using Lookout.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Hosting;

/// <summary>
/// Keeps each object's messages in order at every consumer without giving up concurrency across objects.
/// </summary>
/// <remarks>
/// <para>
/// A RabbitMQ consumer that handles several messages at once cannot keep their order: the client dispatches
/// deliveries to concurrent workers before any in-process partitioner sees them, so one object's 633 could be
/// handled before its 632. Order is therefore kept by the broker. Every message about an object carries a routing
/// key of eight one-bit words (<c>1.0.1.1.0.0.1.0</c>) computed from the object's uid. A consumer of such messages
/// gets <see cref="BusOptions.Partitions"/> queues, <c>{consumer}-p{i}of{n}</c>, each bound through a topic
/// exchange to the top bits of the key and handled one message at a time: one object always lands in the same
/// queue, so its messages are handled in the order the broker received them, while the queues run side by side.
/// The message types' own exchanges stay fanout, so any other subscriber is unaffected.
/// </para>
/// <para>
/// Each partition queue has a single active consumer: with two replicas of a service, one consumes a partition and
/// the other stands by, so a second replica cannot interleave an object's messages either.
/// </para>
/// </remarks>
public static class ObjectPartitions
{
    /// <summary>The number of one-bit words in a routing key: up to 2^8 = 256 partitions.</summary>
    public const int KeyBits = 8;

    /// <summary>The message types that are about one object: the ones LookoutBus.RouteByObject gives a routing key (keep the two lists alike).</summary>
    internal static readonly IReadOnlyList<Type> MessageTypes =
        [typeof(ApplicationChanged), typeof(RolloutChanged), typeof(ObjectDeleted), typeof(NotificationRequested), typeof(AnalysisVerdict),
         typeof(RolloutEventRecorded)];

    /// <summary>The routing key of an object's messages: its uid's partition byte as eight words, <c>0</c> or <c>1</c>, most significant first.</summary>
    public static string RoutingKey(ObjectIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        int bucket = Bucket(identity.Uid);
        var key = new StringBuilder(2 * KeyBits);
        for (int bit = KeyBits - 1; bit >= 0; bit--)
        {
            key.Append((bucket >> bit & 1) == 1 ? '1' : '0');
            if (bit > 0)
            {
                key.Append('.');
            }
        }

        return key.ToString();
    }

    /// <summary>Which of <paramref name="partitions"/> partitions an object's messages go to.</summary>
    public static int PartitionOf(ObjectIdentity identity, int partitions)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Bucket(identity.Uid) >> (KeyBits - Log2(partitions));
    }

    /// <summary>The topic pattern partition <paramref name="index"/> of <paramref name="partitions"/> binds: its bits, then <c>#</c>.</summary>
    public static string Pattern(int index, int partitions)
    {
        int bits = Log2(partitions);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, partitions);
        var pattern = new StringBuilder();
        for (int bit = bits - 1; bit >= 0; bit--)
        {
            pattern.Append((index >> bit & 1) == 1 ? "1." : "0.");
        }

        return pattern.Append('#').ToString();
    }

    /// <summary>Whether <paramref name="partitions"/> is a partition count the keys can express (a power of two from 1 to 256).</summary>
    public static bool IsValidCount(int partitions) => partitions is >= 1 and <= 1 << KeyBits && (partitions & (partitions - 1)) == 0;

    /// <summary>The queue name of one partition of a consumer's endpoint.</summary>
    public static string QueueName(string endpoint, int index, int partitions) => $"{endpoint}-p{index}of{partitions}";

    /// <summary>
    /// Registers <typeparamref name="TConsumer"/> for <typeparamref name="TMessage"/> (a message about one object) on
    /// partitioned queues named after the consumer (<c>{name}-p{i}of{n}</c>), so each object's messages reach it in order.
    /// </summary>
    /// <param name="bus">The bus registration.</param>
    /// <param name="endpointName">The queues' base name; by default the consumer's name in kebab case.</param>
    public static void AddOrderedConsumer<TConsumer, TMessage>(this IBusRegistrationConfigurator bus, string? endpointName = null)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (!MessageTypes.Contains(typeof(TMessage)))
        {
            throw new ArgumentException($"{typeof(TMessage).Name} is not a message about one object; register {typeof(TConsumer).Name} with AddConsumer", nameof(TMessage));
        }

        bus.AddConsumer<TConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddSingleton(new OrderedConsumer(
            endpointName ?? KebabCaseEndpointNameFormatter.Instance.Consumer<TConsumer>(),
            typeof(TConsumer),
            typeof(TMessage),
            cfg => cfg.MessageTopology.GetMessageTopology<TMessage>().EntityName,
            cfg => ((IInMemoryBusFactoryConfigurator)cfg).Publish<TMessage>(p => p.ExchangeType = MassTransit.Transports.Fabric.ExchangeType.Topic),
            (endpoint, context) => endpoint.ConfigureConsumer<TConsumer>(context)));
    }

    private static int Log2(int partitions)
    {
        if (!IsValidCount(partitions))
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, "must be a power of two from 1 to 256");
        }

        return System.Numerics.BitOperations.Log2((uint)partitions);
    }

    // FNV-1a over the uid's UTF-8 bytes, folded to one byte: stable across processes and versions (string.GetHashCode is not).
    private static int Bucket(string uid)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(uid))
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)((hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24)) & 0xFF);
    }
}

/// <summary>A consumer registered with <see cref="ObjectPartitions.AddOrderedConsumer{TConsumer, TMessage}"/>, configured on its partition queues by <see cref="LookoutBus"/>.</summary>
internal sealed record OrderedConsumer(
    string EndpointName,
    Type ConsumerType,
    Type MessageType,
    Func<IBusFactoryConfigurator, string> ExchangeOf,
    Action<IBusFactoryConfigurator> TopicExchangeInMemory,
    Action<IReceiveEndpointConfigurator, IRegistrationContext> Configure);
