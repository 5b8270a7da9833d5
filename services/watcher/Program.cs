using Lookout.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Watcher;

/// <summary>The watcher service: lists and watches Applications and Rollouts and publishes their changes.</summary>
public static class Program
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static Task<int> Main(string[] args)
    {
        WebApplicationBuilder builder = LookoutHost.CreateBuilder("watcher", args);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddWatcherConsumers());
        builder.Services.AddWatcher(builder.Configuration);
        return LookoutHost.RunAsync(builder);
    }
}
