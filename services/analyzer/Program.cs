using Lookout.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Lookout.Analyzer;

/// <summary>The analyzer service: runs AnalysisRuns and votes promote or abort.</summary>
public static class Program
{
    /// <summary>Runs the service until it is stopped.</summary>
    public static Task<int> Main(string[] args)
    {
        if (args is ["run", .. var rest])
        {
            return Tools.RunCommand.ExecuteAsync(rest, Console.Out, Console.Error);
        }

        WebApplicationBuilder builder = LookoutHost.CreateBuilder("analyzer", args);
        builder.Services.AddAnalyzer(builder.Configuration);
        builder.Services.AddLookoutBus(builder.Configuration, bus => bus.AddAnalyzerConsumers());
        return LookoutHost.RunAsync(builder, app => app.MapAnalyzerEndpoints());
    }
}
