namespace Lookout.Hosting;

/// <summary>The message bus (configuration section <c>Bus</c>).</summary>
public sealed class BusOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bus";

    /// <summary>RabbitMQ; when its URL is empty the services use MassTransit's in-memory transport (one process only).</summary>
    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>Messages each consumer queue fetches ahead (and, for consumers not about objects, handles at once).</summary>
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Queues per consumer of messages about objects, each handling one message at a time: how many objects a
    /// consumer handles at once, while each object's messages keep their order (see <see cref="ObjectPartitions"/>).
    /// A power of two from 1 to 256. Changing it names new queues; delete the old ones once drained.
    /// </summary>
    public int Partitions { get; set; } = 8;

    /// <summary>
    /// Pause between two attempts to reconnect to RabbitMQ (consumers and publishers alike), so a service is back
    /// within about this plus one second of the broker's return (MassTransit's own policy grows to 30 s).
    /// </summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Readiness turns false once the bus has been disconnected from the broker for longer than this.</summary>
    public TimeSpan NotReadyAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Bus</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PrefetchCount < 1)
        {
            yield return ("PrefetchCount", "must be at least 1");
        }

        if (!ObjectPartitions.IsValidCount(options.Partitions))
        {
            yield return ("Partitions", "must be a power of two from 1 to 256");
        }

        if (options.ReconnectInterval <= TimeSpan.Zero)
        {
            yield return ("ReconnectInterval", "must be positive");
        }

        if (options.NotReadyAfter < TimeSpan.Zero)
        {
            yield return ("NotReadyAfter", "must not be negative");
        }

        if (!string.IsNullOrWhiteSpace(options.RabbitMq.Url))
        {
            if (!Uri.TryCreate(options.RabbitMq.Url, UriKind.Absolute, out Uri? uri)
                || (uri.Scheme != "amqp" && uri.Scheme != "amqps" && uri.Scheme != "rabbitmq"))
            {
                // The URL may hold a password: name the setting, never echo the value.
                yield return ("RabbitMq:Url", "must be an absolute amqp:// or amqps:// URL (amqp://user:password@host:5672/vhost)");
            }
        }
    }
}

/// <summary>Where RabbitMQ is.</summary>
public sealed class RabbitMqOptions
{
    /// <summary><c>amqp://user:password@host:5672/vhost</c>; the password may instead come from <see cref="Password"/>.</summary>
    public string? Url { get; set; }

    /// <summary>Overrides the URL's user name (for example from a Secret).</summary>
    public string? Username { get; set; }

    /// <summary>Overrides the URL's password (for example from a Secret).</summary>
    public string? Password { get; set; }

    /// <summary>Whether a RabbitMQ URL is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}
