using System.Text.Json.Nodes;
using Lookout.Notifications.Services.Slack;
using Lookout.Notifications.Templates;
using Lookout.Notifier.Delivery;
using Lookout.Testing.Http;

namespace Lookout.Notifications.Tests;

/// <summary>Slack through a local Slack-compatible server: posts, threads, updates, 429s, failures.</summary>
public sealed class SlackTests : IAsyncLifetime
{
    private HttpReceiver slack = null!;

    public async Task InitializeAsync() => slack = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task Post_SendsTextUsernameIconAttachmentsAndBlocks_WithTheBotToken()
    {
        DeliveryHarness h = await Harness();
        var n = new Notification { Message = "deployed" };
        n.Sections["slack"] = new JsonObject
        {
            ["username"] = "argocd",
            ["icon"] = ":rocket:",
            ["attachments"] = "[{\"title\": \"guestbook\", \"color\": \"#18be52\"}]",
            ["blocks"] = "[{\"type\": \"section\", \"text\": {\"type\": \"mrkdwn\", \"text\": \"hi\"}}]",
        };
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", n), null, CancellationToken.None));
        ReceivedRequest r = Assert.Single(slack.Requests);
        Assert.Equal("/api/chat.postMessage", r.Path);
        Assert.Equal("Bearer xoxb-secret-token", r.Headers["Authorization"]);
        JsonNode body = r.Json!;
        Assert.Equal("deployments", (string?)body["channel"]);
        Assert.Equal("deployed", (string?)body["text"]);
        Assert.Equal("argocd", (string?)body["username"]);
        Assert.Equal(":rocket:", (string?)body["icon_emoji"]);
        Assert.Equal("guestbook", (string?)body["attachments"]![0]!["title"]);
        Assert.Equal("section", (string?)body["blocks"]![0]!["type"]);
        Assert.False((bool)body["unfurl_links"]!);
    }

    [Fact]
    public async Task GroupingKey_ThreadsLaterMessages_AndTheThreadSurvivesARestart()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("lookout-slack-").FullName, "threads.json");
        DeliveryHarness first = await Harness(new FileSlackThreadStore(file));
        Assert.Equal(DeliveryOutcome.Sent, await first.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", Grouped("v1", broadcast: false)), null, CancellationToken.None));

        // A new process reading the same file continues the thread.
        DeliveryHarness second = await Harness(new FileSlackThreadStore(file));
        Assert.Equal(DeliveryOutcome.Sent, await second.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", Grouped("v2", broadcast: true)), null, CancellationToken.None));
        IReadOnlyList<ReceivedRequest> requests = slack.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Json!["thread_ts"]);
        Assert.Equal("1700000001.000100", (string?)requests[1].Json!["thread_ts"]);
        Assert.True((bool)requests[1].Json!["reply_broadcast"]!);
    }

    [Fact]
    public async Task PostAndUpdate_PostsInTheThread_AndUpdatesTheFirstMessage()
    {
        DeliveryHarness h = await Harness();
        await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", Grouped("v1", policy: "PostAndUpdate")), null, CancellationToken.None);
        await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", Grouped("v2", policy: "PostAndUpdate")), null, CancellationToken.None);
        Assert.Equal(["/api/chat.postMessage", "/api/chat.postMessage", "/api/chat.update"], slack.Requests.Select(r => r.Path));
        JsonNode update = slack.Requests[2].Json!;
        Assert.Equal("1700000001.000100", (string?)update["ts"]);
        Assert.Equal("C-deployments", (string?)update["channel"]);
        Assert.Equal("v2", (string?)update["text"]);
    }

    [Fact]
    public async Task TooManyRequests_IsWaitedOut_AndIsNotAFailedAttempt()
    {
        DeliveryHarness h = await Harness(delivery: new Notifier.DeliveryOptions { MaxAttempts = 1, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero, SlackChannelInterval = TimeSpan.Zero });
        slack.Enqueue(new ScriptedReply(429, "{\"ok\":false,\"error\":\"ratelimited\"}", RetryAfter: "1"));
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", "deployments", new Notification { Message = "hi" }), null, CancellationToken.None));
        Assert.Equal(2, slack.Requests.Count);
        Assert.Empty(h.DeadLetters.List());
    }

    [Fact]
    public async Task OkFalse_IsAFailureWithSlacksError_InTheDeadLetters_NeverRecordedAsSent()
    {
        DeliveryHarness h = await Harness();
        slack.Enqueue(new ScriptedReply(200, "{\"ok\":false,\"error\":\"channel_not_found\"}"));
        var message = DeliveryHarness.Message("slack", "nowhere", new Notification { Message = "hi" });
        Assert.Equal(DeliveryOutcome.DeadLettered, await h.Delivery.DeliverAsync(message, null, CancellationToken.None));
        Assert.Single(slack.Requests);
        Contracts.NotificationDeliveryFailed letter = Assert.Single(h.DeadLetters.List());
        Assert.Equal("slack chat.postMessage: channel_not_found", letter.Reason);
        Assert.False(h.Ledger.Contains(message.Id));
    }

    [Fact]
    public async Task ServerError_IsRetried_ThenSent_AndARedeliveryIsNotPostedAgain()
    {
        DeliveryHarness h = await Harness();
        slack.Enqueue(new ScriptedReply(503, "unavailable", ContentType: "text/plain"));
        var message = DeliveryHarness.Message("slack", "deployments", new Notification { Message = "hi" });
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(message, null, CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Duplicate, await h.Delivery.DeliverAsync(message, null, CancellationToken.None));
        Assert.Equal(2, slack.Requests.Count);
    }

    [Fact]
    public async Task IncomingWebhookUrl_AsToken_PostsThePayloadThere_AndNeverLogsTheUrl()
    {
        string hook = new Uri(slack.BaseAddress, "/services/T00/B00/very-secret-path").ToString();
        DeliveryHarness h = await DeliveryHarness.CreateAsync(
            DeliveryHarness.ConfigMap("service.slack: |\ntoken: " + hook),
            new Notifier.DeliveryOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero });
        Assert.Equal(DeliveryOutcome.Sent, await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", string.Empty, new Notification { Message = "hi" }), null, CancellationToken.None));
        Assert.Equal("/services/T00/B00/very-secret-path", slack.Requests[0].Path);
        Assert.Equal("hi", (string?)slack.Requests[0].Json!["text"]);

        slack.Enqueue(new ScriptedReply(500, "boom", ContentType: "text/plain"));
        slack.Enqueue(new ScriptedReply(500, "boom", ContentType: "text/plain"));
        Assert.Equal(DeliveryOutcome.DeadLettered, await h.Delivery.DeliverAsync(DeliveryHarness.Message("slack", string.Empty, new Notification { Message = "again" }), null, CancellationToken.None));
        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("very-secret-path", StringComparison.Ordinal));
        Assert.DoesNotContain("very-secret-path", Assert.Single(h.DeadLetters.List()).Reason, StringComparison.Ordinal);
    }

    private static Notification Grouped(string text, bool broadcast = false, string policy = "Post")
    {
        var n = new Notification { Message = text };
        n.Sections["slack"] = new JsonObject { ["groupingKey"] = "guestbook-1", ["notifyBroadcast"] = broadcast, ["deliveryPolicy"] = policy };
        return n;
    }

    private Task<DeliveryHarness> Harness(ISlackThreadStore? threads = null, Notifier.DeliveryOptions? delivery = null) =>
        DeliveryHarness.CreateAsync(
            DeliveryHarness.ConfigMap($"service.slack: |\ntoken: xoxb-secret-token\napiURL: {slack.SlackApiUrl}\ndisableUnfurl: true"),
            delivery,
            threads);
}
