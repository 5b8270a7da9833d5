using System.Text.Json;
using Lookout.AllInOne;
using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Contracts;
using Lookout.Testing;
using Lookout.Testing.Http;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lookout.Inbox.Tests;

/// <summary>
/// The inbox page in a real browser: Debian's chromium, driven by Playwright's bundled node driver, against the
/// all-in-one host replaying this project's own scenario (Scenario/) with notifications.yaml.
/// </summary>
public sealed class InboxPageTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Secret = "s3cr3t-gh-token-0042";
    private static readonly LocatorAssertionsToHaveCountOptions Eventually = new() { Timeout = 60_000 };
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<(WebApplication App, string Address)> StartHostAsync(HttpReceiver webhook, string directory)
    {
        string config = Path.Combine(directory, "notifications.yaml");
        string text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "notifications.yaml"));
        await File.WriteAllTextAsync(config, text.Replace("WEBHOOK_URL", webhook.BaseAddress.ToString(), StringComparison.Ordinal));
        WebApplication app = AllInOneHost.Build([
            "--port", "0",
            "--scenario", Path.Combine(AppContext.BaseDirectory, "Scenario"),
            "--Notifier:ConfigPath=" + config,
            "--Watcher:DemoReplayInterval=00:00:01",
            "--Notifier:Delivery:InitialBackoff=00:00:00.050",
        ]);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private static string RunsJson()
    {
        DateTimeOffset t = DateTimeOffset.Parse("2026-11-24T10:10:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var measurements = new List<Measurement>
        {
            new(AnalysisPhase.Successful, "[0.01]", null, t, t.AddSeconds(1)),
            new(AnalysisPhase.Failed, "[0.09]", "error rate above 0.05", t.AddSeconds(30), t.AddSeconds(31)),
        };
        var run = new RunSnapshot("r1", "Rollout demo/canary-with-analysis step 2 (7d9f8c)", AnalysisPhase.Failed, "metric \"error-rate\" assessed Failed", t, t.AddSeconds(31),
            [new MetricSnapshot("error-rate", AnalysisPhase.Failed, null, 2, 1, 1, 0, 0, 0, false, measurements)]);
        return JsonSerializer.Serialize(new[] { run }, Web);
    }

    [SkippableFact]
    public async Task Page_ShowsEachDestinationLive_ThreadsGroup_SecretsAreMasked_AndNothingFromAMessageRunsAsHtml()
    {
        string? missing = DebianPackages.Missing("chromium", Chromium);
        Skip.If(missing is not null, missing);
        string directory = Directory.CreateTempSubdirectory("lookout-inbox-").FullName;
        await using HttpReceiver webhook = await HttpReceiver.StartAsync();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        IPage page = await browser.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        await page.RouteAsync("**/api/v1/runs", route => route.FulfillAsync(new() { ContentType = "application/json", Body = RunsJson() }));

        (WebApplication app, string address) = await StartHostAsync(webhook, directory);
        await using (app)
        {
            await page.GotoAsync(address);
            await Expect(page).ToHaveTitleAsync("Lookout inbox");
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

            // Slack (no service configured: the inbox stands in): the deployed message, and the failure in its thread.
            ILocator slack = page.Locator("section.channel[data-type=slack]");
            await Expect(slack.Locator("article.message")).ToHaveCountAsync(2, Eventually);
            ILocator thread = slack.Locator(".thread[data-grouping-key=guestbook]");
            await Expect(thread.Locator("article.message")).ToHaveCountAsync(1);
            await Expect(thread).ToContainTextAsync("The sync of guestbook failed");
            await Expect(slack.Locator(".thread-summary")).ToHaveTextAsync("1 reply · thread guestbook");
            ILocator parent = slack.Locator("article.message").First;
            await Expect(parent.Locator(".mrkdwn strong").First).ToHaveTextAsync("guestbook");
            await Expect(parent.Locator(".mrkdwn").First).ToContainTextAsync("✅ guestbook is deployed at 4773b9f open in Argo CD");
            await Expect(parent.Locator(".mrkdwn em")).ToHaveCountAsync(0);
            await Expect(parent.Locator(".mrkdwn code").First).ToHaveTextAsync("4773b9f");
            await Expect(parent.Locator("a", new() { HasText = "open in Argo CD" })).ToHaveAttributeAsync("href", "https://argocd.example.com/applications/guestbook");
            await Expect(parent.Locator(".attachment").First).ToHaveAttributeAsync("data-color", "#18be52");
            await Expect(parent.Locator(".field").First).ToContainTextAsync("Synced");

            // Markup in a message is shown as text, never run.
            await Expect(parent.Locator(".mrkdwn").First).ToContainTextAsync("<img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script>");
            await Expect(page.Locator("#messages img, #messages script")).ToHaveCountAsync(0);

            // Email: the HTML body in a sandboxed frame, its script not run.
            ILocator email = page.Locator("section.channel[data-type=email]");
            await Expect(email.Locator(".subject")).ToHaveTextAsync("Deployed guestbook", new() { Timeout = 60_000 });
            await Expect(email.Locator("iframe")).ToHaveAttributeAsync("sandbox", string.Empty);
            await Expect(page.FrameLocator("section.channel[data-type=email] iframe").Locator("h1")).ToHaveTextAsync("guestbook is deployed");

            // Teams: the MessageCard with its facts.
            ILocator teams = page.Locator("section.channel[data-type=teams]");
            await Expect(teams.Locator(".card .title")).ToHaveTextAsync("Sync of guestbook failed", new() { Timeout = 60_000 });
            await Expect(teams.Locator(".card table")).ToContainTextAsync("Revision");

            // Webhook (configured: really sent): method, path, headers and body with the secret masked.
            ILocator hook = page.Locator("section.channel[data-type=webhook]");
            await Expect(hook.Locator("article.message")).ToHaveAttributeAsync("data-status", "Sent", new() { Timeout = 60_000 });
            await Expect(hook.Locator(".request")).ToHaveTextAsync("POST/repos/example/guestbook/statuses/4773b9f1f2f1fd2b2d71c3b3fd8b0f3a1c6e8a2d");
            await Expect(hook.Locator("tr", new() { HasText = "Authorization" }).Locator(".header-value")).ToHaveTextAsync("token ••••••");
            await Expect(hook.Locator("pre.body")).ToContainTextAsync("\"auth\": \"••••••\"");
            ReceivedRequest sent = Assert.Single(await webhook.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10)));
            Assert.Equal("token " + Secret, sent.Headers["Authorization"]);
            Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

            // Live: a notification published on the bus now updates the thread's first message in place (Slack's Update policy).
            await Expect(parent.Locator(".edited")).ToHaveCountAsync(0);
            await app.Services.GetRequiredService<IBus>().Publish(Update("guestbook has been rolled back"));
            await Expect(parent.Locator(".edited")).ToHaveTextAsync("(edited)", new() { Timeout = 30_000 });
            await Expect(parent.Locator(".mrkdwn").First).ToContainTextAsync("guestbook has been rolled back");
            await Expect(slack.Locator("article.message")).ToHaveCountAsync(2);

            // The Rollout timeline: the analyzer's runs with measurements and the verdict.
            ILocator rollout = page.Locator(".rollout[data-rollout='demo/canary-with-analysis']");
            await Expect(rollout.Locator(".verdict")).ToHaveTextAsync("Failed → abort");
            await Expect(rollout.Locator(".measurement")).ToHaveTextAsync(["[0.01]", "[0.09]"]);

            // The config author: the running configuration's on-deployed for a pasted object, as each destination shows it.
            await page.ClickAsync("#open-author");
            await Expect(page.Locator("#author-trigger")).ToHaveValueAsync("on-deployed");
            await page.ClickAsync("#author-run");
            ILocator preview = page.Locator(".author-result section.preview[data-template=app-deployed]");
            await Expect(preview.Locator("article.message[data-type=slack] .mrkdwn strong").First).ToHaveTextAsync("guestbook");
            await Expect(page.Locator(".author-result tr[data-triggered=true]")).ToHaveCountAsync(1);
            Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

            Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"), "a script from a message ran");
            Assert.Empty(pageErrors);
            await app.StopAsync();
        }
    }

    private static NotificationRequested Update(string text) => new()
    {
        Id = Guid.NewGuid(),
        Kind = "Application",
        Object = new ObjectIdentity("demo", "argocd", "guestbook", "test"),
        ResourceVersion = "99",
        ObservedAt = DateTimeOffset.UtcNow,
        Trigger = "on-rolled-back",
        ConditionKey = "[0]",
        Service = "slack",
        Recipient = "deployments",
        Templates = ["app-rolled-back"],
        Notification = JsonSerializer.SerializeToElement(new { message = text, slack = new { groupingKey = "guestbook", deliveryPolicy = "Update" } }),
    };
}
