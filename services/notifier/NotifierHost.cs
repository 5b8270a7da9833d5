using Lookout.Hosting;
using Lookout.Notifier.Delivery;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Notifier;

/// <summary>The notifier service's host.</summary>
public static class NotifierHost
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("notifier");
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddNotifierConsumers());
        await using WebApplication app = builder.Build();
        app.MapServiceEndpoints();
        app.MapNotifierEndpoints();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
