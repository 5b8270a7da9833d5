using System.Text.Json;
using Lookout.Contracts;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.Templates;
using Lookout.Notifier;
using Lookout.Notifier.Configuration;
using Lookout.Notifier.Delivery;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifications.Tests;

/// <summary>The delivery step over a ConfigMap written to a temporary file, with logs captured.</summary>
internal sealed class DeliveryHarness
{
    private DeliveryHarness(DeliveryService delivery, SentLedger ledger, DeadLetterStore deadLetters, CapturedLogs logs)
    {
        Delivery = delivery;
        Ledger = ledger;
        DeadLetters = deadLetters;
        Logs = logs;
    }

    public DeliveryService Delivery { get; }

    public SentLedger Ledger { get; }

    public DeadLetterStore DeadLetters { get; }

    public CapturedLogs Logs { get; }

    public static async Task<DeliveryHarness> CreateAsync(string configMapYaml, DeliveryOptions? delivery = null, ISlackThreadStore? threads = null)
    {
        string dir = Directory.CreateTempSubdirectory("lookout-delivery-").FullName;
        string path = Path.Combine(dir, "cm.yaml");
        await File.WriteAllTextAsync(path, configMapYaml);
        var logs = new CapturedLogs();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var options = new NotifierOptions { ConfigPath = path, Delivery = delivery ?? new DeliveryOptions { InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, SlackChannelInterval = TimeSpan.Zero } };
        var services = new ServiceContext { HttpClients = _ => new HttpClient(), Logs = loggerFactory, SlackThreads = threads ?? new FileSlackThreadStore(null) };
        var provider = new NotificationConfigProvider(new FileConfigSource(path, null), ServiceTypes.BuiltIn(), services, options, loggerFactory.CreateLogger<NotificationConfigProvider>());
        await provider.ReloadAsync(CancellationToken.None);
        var ledger = new SentLedger(null);
        var deadLetters = new DeadLetterStore(null);
        var delivery2 = new DeliveryService(provider, ledger, deadLetters, new CircuitBreakers(options.Delivery, TimeProvider.System), new RateLimits(TimeProvider.System), options, TimeProvider.System, loggerFactory.CreateLogger<DeliveryService>());
        return new DeliveryHarness(delivery2, ledger, deadLetters, logs);
    }

    public static NotificationRequested Message(string service, string recipient, Notification notification, string trigger = "on-deployed", Guid? id = null) => new()
    {
        Id = id ?? Guid.NewGuid(),
        Kind = "Application",
        Object = new ObjectIdentity("in-cluster", "argocd", "guestbook", "uid-guestbook"),
        ResourceVersion = "101",
        ObservedAt = DateTimeOffset.UtcNow,
        Trigger = trigger,
        ConditionKey = "[0].abc",
        Service = service,
        Recipient = recipient,
        Templates = ["app-deployed"],
        Notification = JsonSerializer.SerializeToElement(notification.ToJson()),
    };

    public static string ConfigMap(params string[] entries) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-notifications-cm\n  namespace: argocd\ndata:\n" + string.Concat(entries.Select(e => "  " + e.Replace("\n", "\n    ", StringComparison.Ordinal).TrimEnd() + "\n"));
}

/// <summary>Every log line written, formatted.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
