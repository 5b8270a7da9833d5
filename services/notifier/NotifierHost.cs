using Lookout.Hosting;
using Lookout.Notifier.Delivery;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Notifier;

/// <summary>The notifier service's host.</summary>
public static class NotifierHost
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        WebApplicationBuilder builder = LookoutHost.CreateBuilder("notifier", NotifierOptions.WithBooleanValues(args), switches: NotifierOptions.Switches);
        builder.Services.AddNotifier(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddNotifierConsumers());
        return LookoutHost.RunAsync(builder, app => app.MapNotifierEndpoints());
    }
}
