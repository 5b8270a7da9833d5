using Lookout.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Analyzer;

/// <summary>The analyzer service: runs AnalysisRuns and votes promote or abort.</summary>
public static class Program
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static async Task Main(string[] args)
    {
        if (args is ["run", .. var rest])
        {
            Environment.ExitCode = await Tools.RunCommand.ExecuteAsync(rest, Console.Out, Console.Error).ConfigureAwait(false);
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("analyzer");
        builder.Services.AddAnalyzer(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddAnalyzerConsumers());
        await using WebApplication app = builder.Build();
        app.MapServiceEndpoints();
        app.MapAnalyzerEndpoints();
        await app.RunAsync().ConfigureAwait(false);
    }
}
