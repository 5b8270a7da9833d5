using Lookout.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Watcher;

/// <summary>The watcher service: lists and watches Applications and Rollouts and publishes their changes.</summary>
public static class Program
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static async Task Main(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("watcher");
        // The bus first: hosted services stop in reverse order, so the watchers stop, the buffer drains, then the bus.
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddWatcherConsumers());
        builder.Services.AddWatcher(builder.Configuration);
        await using WebApplication app = builder.Build();
        app.MapServiceEndpoints();
        await app.RunAsync().ConfigureAwait(false);
    }
}
