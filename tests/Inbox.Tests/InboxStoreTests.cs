using System.Text.Json.Nodes;
using Lookout.Notifications;
using Lookout.Notifications.Services;
using Lookout.Notifications.Services.Inbox;
using Lookout.Notifications.Templates;

namespace Lookout.Inbox.Tests;

public sealed class InboxStoreTests
{
    private static InboxMessage Slack(string text, string groupingKey = "", string policy = "Post", string channel = "deployments", InboxStatus status = InboxStatus.Recorded) => new()
    {
        Service = "slack",
        Type = "slack",
        Recipient = channel,
        Payload = new JsonObject { ["text"] = text },
        GroupingKey = groupingKey,
        DeliveryPolicy = policy,
        Status = status,
    };

    private static string Text(InboxMessage m) => (string)m.Payload["text"]!;

    [Theory]
    // policy of the second message → (messages stored, the second is a reply, the first was updated)
    [InlineData("Post", 2, true, false)]
    [InlineData("Update", 1, false, true)]
    [InlineData("PostAndUpdate", 2, true, true)]
    public void SlackGroupingKey_ThreadsAsSlackDoes(string policy, int stored, bool reply, bool updated)
    {
        var inbox = new Notifications.Services.Inbox.Inbox();
        InboxMessage first = inbox.Add(Slack("deployed", "guestbook"));
        inbox.Add(Slack("failed", "guestbook", policy));

        IReadOnlyList<InboxMessage> all = inbox.Since(0).Messages;
        Assert.Equal(stored, all.Count);
        InboxMessage parent = all.Single(m => m.Id == first.Id);
        Assert.Equal(updated ? "failed" : "deployed", Text(parent));
        Assert.Equal(updated ? 1 : 0, parent.Edits);
        Assert.Equal(reply, all.Any(m => m.ThreadOf == first.Id && Text(m) == "failed"));
    }

    [Fact]
    public void Threads_AreKeptPerChannelAndKey_AndFailedMessagesStartNone()
    {
        var inbox = new Notifications.Services.Inbox.Inbox();
        InboxMessage failed = inbox.Add(Slack("refused", "app", status: InboxStatus.Failed));
        InboxMessage a = inbox.Add(Slack("a", "app"));
        InboxMessage b = inbox.Add(Slack("b", "app", channel: "other"));
        InboxMessage c = inbox.Add(Slack("c", "other-app"));
        InboxMessage replyToA = inbox.Add(Slack("a2", "app"));
        InboxMessage none = inbox.Add(Slack("plain"));

        Assert.Null(failed.ThreadOf);
        Assert.Null(a.ThreadOf);
        Assert.Null(b.ThreadOf);
        Assert.Null(c.ThreadOf);
        Assert.Equal(a.Id, replyToA.ThreadOf);
        Assert.Null(none.ThreadOf);
    }

    [Fact]
    public void Capacity_DropsTheOldest_AndAThreadWhoseFirstMessageWentStartsAgain()
    {
        var inbox = new Notifications.Services.Inbox.Inbox(capacity: 2);
        InboxMessage first = inbox.Add(Slack("1", "k"));
        inbox.Add(Slack("2"));
        inbox.Add(Slack("3"));
        InboxMessage again = inbox.Add(Slack("4", "k"));

        IReadOnlyList<InboxMessage> all = inbox.Since(0).Messages;
        Assert.Equal(["3", "4"], all.Select(Text));
        Assert.DoesNotContain(all, m => m.Id == first.Id);
        Assert.Null(again.ThreadOf);
    }

    [Fact]
    public async Task Since_ReturnsOnlyChanges_AndWaitersWakeOnAChange()
    {
        var inbox = new Notifications.Services.Inbox.Inbox();
        inbox.Add(Slack("a", "k"));
        long seen = inbox.Version;
        Task waiting = inbox.WaitForChangeAsync(seen, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        inbox.Add(Slack("b", "k", "Update"));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        (IReadOnlyList<InboxMessage> changed, long version) = inbox.Since(seen);
        InboxMessage updated = Assert.Single(changed);
        Assert.Equal("b", Text(updated));
        Assert.Equal(version, updated.Version);
        Assert.Empty(inbox.Since(version).Messages);
        Assert.True(inbox.WaitForChangeAsync(seen, CancellationToken.None).IsCompleted);
    }

    [Theory]
    [InlineData("slack", "slack")]
    [InlineData("email", "email")]
    [InlineData("teams", "teams")]
    [InlineData("teams-workflows", "teams-workflows")]
    [InlineData("github", "webhook")]
    [InlineData("opsgenie", "opsgenie")]
    public void TypeOf_AServiceThatIsNotConfigured(string service, string type)
    {
        var notification = new Notification { Message = "m", Sections = { ["webhook"] = new JsonObject { ["github"] = new JsonObject { ["method"] = "POST" } } } };
        Assert.Equal(type, InboxRendering.TypeOf(service, notification));
    }

    [Fact]
    public void Webhook_ShowsMethodPathHeadersAndBody_WithSecretsMasked()
    {
        var notification = new Notification
        {
            Message = "m",
            Sections = { ["webhook"] = new JsonObject { ["github"] = new JsonObject { ["method"] = "POST", ["path"] = "/statuses/abc", ["body"] = "{\"auth\":\"s3cr3t-value\"}" } } },
        };
        var settings = new JsonObject
        {
            ["url"] = "https://hooks.example.com/s3cr3t-value/base",
            ["headers"] = new JsonArray(
                new JsonObject { ["name"] = "Authorization", ["value"] = "Bearer abc.def" },
                new JsonObject { ["name"] = "X-Api-Key", ["value"] = "plain" },
                new JsonObject { ["name"] = "Content-Type", ["value"] = "application/json" }),
            ["basicAuth"] = new JsonObject { ["username"] = "u", ["password"] = "p" },
        };

        InboxMessage m = InboxRendering.Render(notification, new Destination("github", string.Empty), "webhook", settings, ["s3cr3t-value"]);

        Assert.Equal("POST", (string?)m.Payload["method"]);
        Assert.Equal("/••••••/base/statuses/abc", (string?)m.Payload["path"]);
        Assert.Equal(
            ["Authorization: Bearer ••••••", "X-Api-Key: ••••••", "Content-Type: application/json", "Authorization: Basic ••••••"],
            m.Payload["headers"]!.AsArray().Select(h => $"{h!["name"]}: {h["value"]}"));
        Assert.Equal("{\"auth\":\"••••••\"}", (string?)m.Payload["body"]);
        Assert.DoesNotContain("s3cr3t-value", m.Payload.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.com", m.Payload.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_IsThePostMessageBody_WithThreadingFields()
    {
        var notification = new Notification
        {
            Message = "*hi*",
            Sections =
            {
                ["slack"] = new JsonObject
                {
                    ["attachments"] = "[{\"color\": \"good\", \"fields\": [{\"title\": \"a\", \"value\": \"b\"}]}]",
                    ["groupingKey"] = "app",
                    ["deliveryPolicy"] = "PostAndUpdate",
                    ["notifyBroadcast"] = true,
                },
            },
        };

        InboxMessage m = InboxRendering.Render(notification, new Destination("slack", "deployments"), "slack", new JsonObject { ["token"] = "xoxb-1", ["username"] = "argocd" }, []);

        Assert.Equal("*hi*", (string?)m.Payload["text"]);
        Assert.Equal("deployments", (string?)m.Payload["channel"]);
        Assert.Equal("argocd", (string?)m.Payload["username"]);
        Assert.Equal("good", (string?)m.Payload["attachments"]![0]!["color"]);
        Assert.True((bool)m.Payload["reply_broadcast"]!);
        Assert.Equal("app", m.GroupingKey);
        Assert.Equal("PostAndUpdate", m.DeliveryPolicy);
        Assert.DoesNotContain("xoxb", m.Payload.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_WithAttachmentsThatAreNotJson_FailsAsTheServiceWould()
    {
        var notification = new Notification { Message = "m", Sections = { ["slack"] = new JsonObject { ["attachments"] = "[{not json" } } };
        NotificationSendException ex = Assert.Throws<NotificationSendException>(() =>
            InboxRendering.Render(notification, new Destination("slack", "c"), "slack", null, []));
        Assert.Contains("attachments", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<h1>Deployed</h1>", null, true)]
    [InlineData("plain text, 1 < 2", null, false)]
    [InlineData("<p>x</p>", false, false)]
    [InlineData("plain", true, true)]
    public void Email_IsHtml_WhenTheServiceSaysSo_OrWithoutOne_WhenTheBodyHasTags(string body, bool? html, bool expected)
    {
        var notification = new Notification { Message = "m", Sections = { ["email"] = new JsonObject { ["subject"] = "s", ["body"] = body } } };
        JsonObject? settings = html is null ? null : new JsonObject { ["host"] = "smtp", ["from"] = "a@b.c", ["html"] = html };

        InboxMessage m = InboxRendering.Render(notification, new Destination("email", "team@example.com"), "email", settings, []);

        Assert.Equal(expected, (bool)m.Payload["html"]!);
        Assert.Equal("s", (string?)m.Payload["subject"]);
        Assert.Equal("team@example.com", (string?)m.Payload["to"]);
    }

    [Fact]
    public void Teams_IsTheCardPosted()
    {
        var notification = new Notification { Message = "m", Sections = { ["teams"] = new JsonObject { ["title"] = "T", ["facts"] = "[{\"name\": \"a\", \"value\": \"b\"}]" } } };
        InboxMessage m = InboxRendering.Render(notification, new Destination("teams", "ops"), "teams", null, []);
        Assert.Equal("MessageCard", (string?)m.Payload["card"]!["@type"]);
        Assert.Equal("T", (string?)m.Payload["card"]!["title"]);
        Assert.Equal("a", (string?)m.Payload["card"]!["sections"]![0]!["facts"]![0]!["name"]);
    }
}
