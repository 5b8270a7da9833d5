using k8s;
using Lookout.Testing;
using Lookout.Testing.Kubernetes;
using Lookout.Watcher.Kubernetes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lookout.Watcher.Tests.Kubernetes;

public sealed class WatchingReadinessTests
{
    private static WatcherOptions Options(string apiServer) => new()
    {
        Cluster = "test",
        ApiServer = apiServer,
        WatchRollouts = false,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        FailuresBeforeNotReady = 3,
        LeaderElection = { Enabled = false },
    };

    private static async Task<HealthCheckResult> CheckAsync(KubernetesWatchingService service, WatcherOptions options) =>
        await new WatchingReadiness(service, options).CheckHealthAsync(new HealthCheckContext());

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }
        }
    }

    [Fact]
    public async Task ReadyOnceTheWatchIsOpen()
    {
        await using FakeKubernetesApiServer server = await FakeKubernetesApiServer.StartAsync();
        WatcherOptions options = Options(server.BaseAddress.ToString());
        using IKubernetes client = WatcherHarness.NewClient(server);
        using var logger = new ListLogger();
        using var service = new KubernetesWatchingService(new KubernetesWatchSource(client, options), new RecordingPublisher(), options, TimeProvider.System, logger, client);

        HealthCheckResult before = await CheckAsync(service, options);
        Assert.Equal((HealthStatus.Unhealthy, "not watching yet"), (before.Status, before.Description));

        await service.StartAsync(CancellationToken.None);
        await server.WaitForWatchesAsync(1, TimeSpan.FromSeconds(20));
        await UntilAsync(() => service.Watchers.Count == 1 && service.Watchers[0].IsWatching, "the watch is open");
        HealthCheckResult ready = await CheckAsync(service, options);
        Assert.Equal((HealthStatus.Healthy, "watching 1 scopes"), (ready.Status, ready.Description));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task NotReady_WhileListAndWatchKeepFailing()
    {
        // Nothing listens on this port: every list fails at once.
        WatcherOptions options = Options($"http://127.0.0.1:{FreePorts.Next()}");
        using IKubernetes client = KubernetesWatchSource.CreateClient(new KubernetesClientConfiguration { Host = options.ApiServer });
        using var logger = new ListLogger();
        using var service = new KubernetesWatchingService(new KubernetesWatchSource(client, options), new RecordingPublisher(), options, TimeProvider.System, logger, client);
        await service.StartAsync(CancellationToken.None);
        await UntilAsync(() => service.Watchers.Count == 1 && service.Watchers[0].ConsecutiveFailures >= 3, "three failures");

        HealthCheckResult result = await CheckAsync(service, options);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("applications in all namespaces: list/watch failed ", result.Description, StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
    }
}
