using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lookout.AllInOne;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Lookout.Inbox.Tests;

/// <summary>What <c>scripts/run</c> shows on its defaults: the bundled demo's notifications in the inbox, none dead-lettered.</summary>
public sealed class DemoInboxTests
{
    [Fact]
    public async Task OnItsDefaults_TheDemosNotificationsReachTheInbox_NoneIsDeadLettered()
    {
        WebApplication app = AllInOneHost.Build(["--port", "0", "--Watcher:DemoReplayInterval=00:00:00.100"]);
        await using (app)
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            JsonArray messages;
            do
            {
                await Task.Delay(100, cts.Token);
                JsonObject answer = (await http.GetFromJsonAsync<JsonObject>(new Uri("/inbox/api/messages?since=0", UriKind.Relative), cts.Token))!;
                Assert.True((bool)answer["defaultDestination"]!);
                messages = answer["messages"]!.AsArray();
            }
            while (messages.Count == 0);

            JsonNode first = messages[0]!;
            Assert.Equal("slack", (string?)first["type"]);
            Assert.Equal("Recorded", (string?)first["status"]);
            Assert.False(string.IsNullOrEmpty((string?)first["payload"]!["text"]));
            JsonArray deadLetters = (await http.GetFromJsonAsync<JsonArray>(new Uri("/notifications/dead-letters", UriKind.Relative), cts.Token))!;
            Assert.Empty(deadLetters);

            string page = await http.GetStringAsync(new Uri("/", UriKind.Relative), cts.Token);
            Assert.Contains("<title>Lookout inbox</title>", page, StringComparison.Ordinal);
            await app.StopAsync();
        }
    }
}
