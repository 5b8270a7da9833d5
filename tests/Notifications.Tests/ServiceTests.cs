using System.Text.Json.Nodes;
using Lookout.Notifications.Templates;
using Lookout.Notifier.Delivery;
using Lookout.Testing.Http;
using Lookout.Testing.Smtp;

namespace Lookout.Notifications.Tests;

/// <summary>Webhook, Teams and Teams workflows through a local receiver.</summary>
public sealed class WebhookAndTeamsTests : IAsyncLifetime
{
    private HttpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Webhook_UsesTheTemplatesMethodPathAndBody_WithHeadersAndBasicAuth_RetryingServerErrors()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap(
            $"service.webhook.github: |\nurl: {receiver.BaseAddress}repos/\nheaders:\n- name: Content-Type\n  value: application/json\n- name: X-Team\n  value: platform\nbasicAuth:\n  username: bot\n  password: pw\nretryWaitMin: 1ms\nretryWaitMax: 2ms\nretryMax: 2"));
        var n = new Notification { Message = "plain" };
        n.Sections["webhook"] = new JsonObject { ["github"] = new JsonObject { ["method"] = "POST", ["path"] = "/argoproj/statuses/abc", ["body"] = "{\"state\":\"success\"}" } };
        receiver.Enqueue(new ScriptedReply(502, "bad gateway", ContentType: "text/plain"));
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("github", string.Empty, n), null, CancellationToken.None));
        Assert.Equal(2, receiver.Requests.Count);
        ReceivedRequest r = receiver.Requests[1];
        Assert.Equal("POST", r.Method);
        Assert.Equal("/repos/argoproj/statuses/abc", r.Path);
        Assert.Equal("{\"state\":\"success\"}", r.Body);
        Assert.Equal("application/json", r.Headers["Content-Type"]);
        Assert.Equal("platform", r.Headers["X-Team"]);
        Assert.Equal("Basic " + Convert.ToBase64String("bot:pw"u8.ToArray()), r.Headers["Authorization"]);
    }

    [Fact]
    public async Task OpenCircuit_HoldsTheNotificationUntilItsTrial_InsteadOfSpendingItsAttempts()
    {
        // Two failures open the circuit; the third attempt waits for the circuit's trial and is sent, instead of being
        // refused at once and dead-lettered untried (an SMTP outage of seconds lost emails this way).
        DeliveryHarness h = await DeliveryHarness.CreateAsync(
            DeliveryHarness.ConfigMap($"service.teams: |\nrecipientUrls:\n  channel: {receiver.BaseAddress}teams"),
            new Lookout.Notifier.DeliveryOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, CircuitFailures = 2, CircuitOpenFor = TimeSpan.FromMilliseconds(200), SlackChannelInterval = TimeSpan.Zero });
        receiver.Enqueue(new ScriptedReply(503, "unavailable", ContentType: "text/plain"));
        receiver.Enqueue(new ScriptedReply(503, "unavailable", ContentType: "text/plain"));
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("teams", "channel", new Notification { Message = "m" }), null, CancellationToken.None));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Empty(h.DeadLetters.List());
    }

    [Fact]
    public async Task ASendUnderWay_IsFinished_WhenTheConsumerIsCancelled_SoItsRedeliveryIsADuplicate()
    {
        // The broker's connection drops while the service is answering: the send still completes and is recorded, so
        // the redelivered message is not sent twice (a broker restart repeated emails this way).
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap($"service.teams: |\nrecipientUrls:\n  channel: {receiver.BaseAddress}teams"));
        using var consumer = new CancellationTokenSource();
        receiver.Responder = _ =>
        {
            consumer.Cancel();
            return null;
        };
        Contracts.NotificationRequested message = DeliveryHarness.Message("teams", "channel", new Notification { Message = "m" });
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(message, null, consumer.Token));
        Assert.Equal(DeliveryOutcome.Duplicate, await h.Delivery.DeliverAsync(message, null, CancellationToken.None));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Webhook_WithoutTemplateSection_SendsTheMessageWithGet()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap($"service.webhook.plain: |\nurl: {receiver.BaseAddress}hook"));
        await h.Delivery.DeliverAsync(DeliveryHarness.Message("plain", string.Empty, new Notification { Message = "hello" }), null, CancellationToken.None);
        ReceivedRequest r = Assert.Single(receiver.Requests);
        Assert.Equal(("GET", "/hook", "hello"), (r.Method, r.Path, r.Body));
    }

    [Fact]
    public async Task Teams_PostsAMessageCard()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap($"service.teams: |\nrecipientUrls:\n  channel: {receiver.BaseAddress}teams/hook"));
        var n = new Notification { Message = "deployed" };
        n.Sections["teams"] = new JsonObject
        {
            ["title"] = "Deployed",
            ["themeColor"] = "#000080",
            ["facts"] = "[{\"name\": \"Sync Status\", \"value\": \"Synced\"}]",
            ["potentialAction"] = "[{\"@type\": \"OpenUri\", \"name\": \"Open\", \"targets\": [{\"os\": \"default\", \"uri\": \"https://argocd\"}]}]",
        };
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("teams", "channel", n), null, CancellationToken.None));
        JsonNode card = Assert.Single(receiver.Requests).Json!;
        Assert.Equal("MessageCard", (string?)card["@type"]);
        Assert.Equal("Deployed", (string?)card["title"]);
        Assert.Equal("deployed", (string?)card["text"]);
        Assert.Equal("Synced", (string?)card["sections"]![0]!["facts"]![0]!["value"]);
        Assert.Equal("OpenUri", (string?)card["potentialAction"]![0]!["@type"]);
    }

    [Fact]
    public async Task TeamsWorkflows_PostsAnAdaptiveCard()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap($"service.teams-workflows: |\nrecipientUrls:\n  channel: {receiver.BaseAddress}powerautomate/hook"));
        var n = new Notification { Message = "deployed" };
        n.Sections["teams-workflows"] = new JsonObject { ["title"] = "Deployed", ["facts"] = "[{\"name\": \"Revision\", \"value\": \"abc\"}]" };
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("teams-workflows", "channel", n), null, CancellationToken.None));
        JsonNode message = Assert.Single(receiver.Requests).Json!;
        Assert.Equal("message", (string?)message["type"]);
        JsonNode card = message["attachments"]![0]!["content"]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)message["attachments"]![0]!["contentType"]);
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal(["Deployed", "deployed"], card["body"]!.AsArray().Where(b => (string?)b!["type"] == "TextBlock").Select(b => (string?)b!["text"]));
        Assert.Equal("abc", (string?)card["body"]![2]!["facts"]![0]!["value"]);
    }

    [Fact]
    public async Task UnknownRecipient_IsAFinalFailure()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap($"service.teams: |\nrecipientUrls:\n  channel: {receiver.BaseAddress}teams"));
        Assert.Equal(DeliveryOutcome.DeadLettered, await h.Delivery.DeliverAsync(DeliveryHarness.Message("teams", "other", new Notification()), null, CancellationToken.None));
        Assert.Empty(receiver.Requests);
        Assert.Equal("no teams webhook configured for recipient other", Assert.Single(h.DeadLetters.List()).Reason);
    }

    [Fact]
    public async Task UnknownService_IsDeadLettered()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap("context: |\nargocdUrl: x"));
        Assert.Equal(DeliveryOutcome.DeadLettered, await h.Delivery.DeliverAsync(DeliveryHarness.Message("pagerduty", "x", new Notification()), null, CancellationToken.None));
        Assert.Equal("notification service 'pagerduty' is not supported", Assert.Single(h.DeadLetters.List()).Reason);
    }
}

/// <summary>Email through a real SMTP server (aiosmtpd).</summary>
public sealed class EmailTests(SmtpFixture smtp) : IClassFixture<SmtpFixture>
{
    [Fact]
    public async Task Email_IsDeliveredWithSubjectAndBody_ToEveryAddress()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap(
            $"service.email.local: |\nhost: 127.0.0.1\nport: {smtp.Port}\nfrom: argocd@example.com\nsecurity: none"));
        var n = new Notification { Message = "fallback" };
        n.Sections["email"] = new JsonObject { ["subject"] = "Application guestbook deployed", ["body"] = "Revision abc is running." };
        int before = smtp.Messages().Count;
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("local", "ops@example.com, dev@example.com", n), null, CancellationToken.None));
        string mail = Assert.Single(await smtp.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(10)), m => m.Contains("Subject: Application guestbook deployed", StringComparison.Ordinal));
        Assert.Contains("Revision abc is running.", mail, StringComparison.Ordinal);
        Assert.Contains("X-RcptTo: ops@example.com, dev@example.com", mail, StringComparison.Ordinal);
        Assert.Contains("X-MailFrom: argocd@example.com", mail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_WithoutBody_SendsTheMessage()
    {
        DeliveryHarness h = await DeliveryHarness.CreateAsync(DeliveryHarness.ConfigMap(
            $"service.email: |\nhost: 127.0.0.1\nport: {smtp.Port}\nfrom: argocd@example.com\nsecurity: none"));
        int before = smtp.Messages().Count;
        await h.Delivery.DeliverAsync(DeliveryHarness.Message("email", "ops@example.com", new Notification { Message = "only the message" }), null, CancellationToken.None);
        Assert.Single(await smtp.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(10)), m => m.Contains("only the message", StringComparison.Ordinal));
    }
}
