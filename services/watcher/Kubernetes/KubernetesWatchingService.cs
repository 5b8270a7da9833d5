using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Lookout.Watcher.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Runs one <see cref="ResourceWatcher"/> per watched kind and namespace while this replica is the leader (or
/// always, when leader election is off). Losing the Lease cancels the watchers, so they stop publishing.
/// </summary>
public sealed partial class KubernetesWatchingService : BackgroundService
{
    private readonly IWatchSource source;
    private readonly IEventPublisher publisher;
    private readonly WatcherOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly IKubernetes? leaseClient;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool leading;

    /// <summary>Creates the service; <paramref name="leaseClient"/> null (or election disabled) means always lead.</summary>
    public KubernetesWatchingService(
        IWatchSource source,
        IEventPublisher publisher,
        WatcherOptions options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IKubernetes? leaseClient)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.source = source;
        this.publisher = publisher;
        this.options = options;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        this.leaseClient = leaseClient;
        logger = loggerFactory.CreateLogger<KubernetesWatchingService>();
    }

    /// <summary>True while this replica leads and its watchers run.</summary>
    public bool IsLeading => leading;

    /// <summary>Completes the first time this replica starts leading.</summary>
    public Task StartedLeading => started.Task;

    /// <summary>The scopes to watch, from the options.</summary>
    public static IReadOnlyList<WatchScope> Scopes(WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kinds = new List<WatchedKind>();
        if (options.WatchApplications)
        {
            kinds.Add(WatchedKind.Application);
        }

        if (options.WatchRollouts)
        {
            kinds.Add(WatchedKind.Rollout);
        }

        string? selector = string.IsNullOrWhiteSpace(options.LabelSelector) ? null : options.LabelSelector;
        IEnumerable<string?> namespaces = options.Namespaces.Count == 0 ? new string?[] { null } : options.Namespaces.Distinct(StringComparer.Ordinal).Select(n => (string?)n);
        return [.. from kind in kinds from ns in namespaces select new WatchScope(kind, ns, selector)];
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (leaseClient is null || !options.LeaderElection.Enabled)
        {
            await LeadAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        LeaderElectionOptions election = options.LeaderElection;
        string identity = election.Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
        string leaseNamespace = election.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";
        var config = new LeaderElectionConfig(new LeaseLock(leaseClient, leaseNamespace, election.LeaseName, identity))
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        CancellationTokenSource? term = null;
        Task running = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            LogLeading(logger, identity, leaseNamespace, election.LeaseName);
            term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            running = LeadAsync(term.Token);
        };
        elector.OnStoppedLeading += () =>
        {
            LogStoppedLeading(logger, identity);
            leading = false;
            WatcherMetrics.Leader.Set(0);
            term?.Cancel();
        };
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            term?.Cancel();
            await running.ConfigureAwait(false);
            term?.Dispose();
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        leading = true;
        WatcherMetrics.Leader.Set(1);
        started.TrySetResult();
        var events = new EventFactory(options.Cluster, timeProvider);
        ILogger watcherLogger = loggerFactory.CreateLogger<ResourceWatcher>();
        try
        {
            await Task.WhenAll(Scopes(options).Select(scope =>
                new ResourceWatcher(scope, source, publisher, events, options, timeProvider, watcherLogger).RunAsync(cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            leading = false;
            WatcherMetrics.Leader.Set(0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} leads (Lease {LeaseNamespace}/{LeaseName}): watching")]
    private static partial void LogLeading(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership: watching stopped")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);
}
