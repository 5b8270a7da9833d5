namespace Lookout.AllInOne;

/// <summary>Entry point of <c>lookout</c>.</summary>
public static class Program
{
    /// <summary>Runs all three services in one process until stopped (Ctrl+C).</summary>
    public static async Task Main(string[] args)
    {
        await using Microsoft.AspNetCore.Builder.WebApplication app = AllInOneHost.Build(args);
        await app.RunAsync().ConfigureAwait(false);
    }
}
