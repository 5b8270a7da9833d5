using System.Text.Json;
using Lookout.Contracts;
using Lookout.Hosting;
using Lookout.Notifier;
using Lookout.Testing.Http;
using Lookout.Testing.RabbitMq;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lookout.Notifications.Tests;

/// <summary>The notifier on a real RabbitMQ: events in, evaluation and delivery as separate steps, Slack messages out.</summary>
public sealed class EndToEndTests(RabbitMqFixture rabbit) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task ApplicationEvents_BecomeSlackMessages_OncePerTransition_InOrder_EvenWhenAnEventIsRedeliveredOrRestated()
    {
        await using HttpReceiver slack = await HttpReceiver.StartAsync();
        string dir = Directory.CreateTempSubdirectory("lookout-e2e-").FullName;
        string configPath = Path.Combine(dir, "cm.yaml");
        await File.WriteAllTextAsync(configPath, DeliveryHarness.ConfigMap(
            $"service.slack: |\ntoken: xoxb-e2e\napiURL: {slack.SlackApiUrl}",
            "trigger.on-out-of-sync: |\n- when: app.status.sync.status == 'OutOfSync'\n  send: [out-of-sync]",
            "trigger.on-synced: |\n- when: app.status.sync.status == 'Synced'\n  send: [synced]",
            "template.out-of-sync: |\nmessage: '{{.app.metadata.name}} is out of sync at {{.app.metadata.resourceVersion}}'",
            "template.synced: |\nmessage: '{{.app.metadata.name}} is synced at {{.app.metadata.resourceVersion}}'"));

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:RabbitMq:Url"] = rabbit.Url,
            ["Notifier:ConfigPath"] = configPath,
            ["Notifier:Delivery:SlackChannelInterval"] = "00:00:00",
        });
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddNotifierConsumers());
        using IHost host = builder.Build();
        await host.StartAsync();
        try
        {
            // Publish only once the receive endpoints are bound: RabbitMQ drops what reaches an exchange with no queue.
            BusHealthStatus health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(120));
            Assert.Equal(BusHealthStatus.Healthy, health);
            IBus bus = host.Services.GetRequiredService<IBus>();
            ApplicationChanged outOfSync = Event("101", "OutOfSync");
            await bus.Publish(outOfSync, c => c.MessageId = Guid.Parse("00000000-0000-0000-0000-000000000101"));
            await bus.Publish(outOfSync, c => c.MessageId = Guid.Parse("00000000-0000-0000-0000-000000000101"));
            await bus.Publish(Event("102", "Synced"));
            await bus.Publish(Event("103", "OutOfSync"));

            // The watcher's resync restates the unchanged object (IsResync, under a new id at worst): nothing new.
            await bus.Publish(Event("103", "OutOfSync") with { IsResync = true });
            await bus.Publish(Event("104", "Synced"));

            IReadOnlyList<ReceivedRequest> requests = await slack.WaitForRequestsAsync(4, TimeSpan.FromSeconds(180));
            Assert.Equal(
                ["guestbook is out of sync at 101", "guestbook is synced at 102", "guestbook is out of sync at 103", "guestbook is synced at 104"],
                requests.Select(r => (string?)r.Json!["text"]));
            Assert.All(requests, r => Assert.Equal("deployments", (string?)r.Json!["channel"]));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static ApplicationChanged Event(string resourceVersion, string sync)
    {
        string json = """
            {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
             "metadata": {"name": "guestbook", "namespace": "argocd", "uid": "uid-e2e", "resourceVersion": "RV",
               "annotations": {"notifications.argoproj.io/subscribe.on-out-of-sync.slack": "deployments",
                               "notifications.argoproj.io/subscribe.on-synced.slack": "deployments"}},
             "status": {"sync": {"status": "SYNC"}, "health": {"status": "Healthy"}}}
            """.Replace("\"RV\"", $"\"{resourceVersion}\"", StringComparison.Ordinal).Replace("\"SYNC\"", $"\"{sync}\"", StringComparison.Ordinal);
        return new ApplicationChanged
        {
            Object = new ObjectIdentity("in-cluster", "argocd", "guestbook", "uid-e2e"),
            ResourceVersion = resourceVersion,
            ObservedAt = DateTimeOffset.UtcNow,
            Body = JsonDocument.Parse(json).RootElement.Clone(),
            Summary = new ApplicationSummary(sync, "Healthy", null, null, false),
        };
    }
}
