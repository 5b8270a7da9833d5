using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Tests;

public sealed class WatcherCompositionTests
{
    public static TheoryData<string?, bool, string> ClusterNames => new()
    {
        // configured name, real cluster (else the demo scenario), name stamped on events
        { null, true, "in-cluster" },
        { null, false, "demo" },
        { "prod-eu", true, "prod-eu" },
        { "my-demo", false, "my-demo" },
    };

    [Theory]
    [MemberData(nameof(ClusterNames))]
    public void ClusterName_IsDemoOnlyForTheDemoSource(string? configured, bool realCluster, string expected)
    {
        var options = new WatcherOptions
        {
            Cluster = configured,
            ApiServer = realCluster ? "http://127.0.0.1:1" : null,
            DemoScenarioPath = realCluster ? null : Path.Combine(AppContext.BaseDirectory, "demo"),
        };

        ClusterConnection connection = WatcherComposition.Connect(options, TimeProvider.System);

        Assert.Equal(expected, connection.Cluster);
        Assert.Equal(realCluster, connection.Client is not null);
    }
}
