using System.Threading.Channels;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Lookout.Watcher.Publishing;
using Lookout.Watcher.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Watcher.Kubernetes;

/// <summary>
/// Runs one <see cref="ResourceWatcher"/> per watched kind and namespace while this replica is the leader (or
/// always, when leader election is off). A term of leadership starts when the Lease is acquired and ends when it is
/// lost: its watchers are cancelled and awaited before the next term can start, so two terms never overlap. At a
/// graceful stop the leader saves what it published, lets the buffer drain and releases the Lease, so the next
/// replica takes over at its next try instead of waiting for the Lease to expire.
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
    private readonly string cluster;
    private readonly WatcherMetrics metrics;
    private readonly IPublishedStateStore? stateStore;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<ResourceWatcher> watchers = [];
    private volatile bool leading;
    private int terms;

    /// <summary>Creates the service; <paramref name="leaseClient"/> null (or election disabled) means always lead.</summary>
    /// <param name="source">Where lists and watches go.</param>
    /// <param name="publisher">Where events go.</param>
    /// <param name="options">The watcher's settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Loggers.</param>
    /// <param name="leaseClient">The client the Lease (and the state ConfigMap) is kept with; null for the demo.</param>
    /// <param name="cluster">The cluster name stamped on events; <see cref="WatcherOptions.Cluster"/> or <c>in-cluster</c> when null.</param>
    /// <param name="metrics">Where counts go; null for metrics of their own.</param>
    /// <param name="stateStore">Where the published state survives terms; null to detect no deletions across restarts.</param>
    public KubernetesWatchingService(
        IWatchSource source,
        IEventPublisher publisher,
        WatcherOptions options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IKubernetes? leaseClient,
        string? cluster = null,
        WatcherMetrics? metrics = null,
        IPublishedStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(options);
        this.source = source;
        this.publisher = publisher;
        this.options = options;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        this.leaseClient = leaseClient;
        this.cluster = cluster ?? options.Cluster ?? WatcherOptions.DefaultCluster;
        this.metrics = metrics ?? WatcherMetrics.Unregistered();
        this.stateStore = stateStore;
        logger = loggerFactory.CreateLogger<KubernetesWatchingService>();
    }

    /// <summary>True while this replica leads and its watchers run.</summary>
    public bool IsLeading => leading;

    /// <summary>Terms of leadership started so far.</summary>
    public int Terms => Volatile.Read(ref terms);

    /// <summary>Completes the first time this replica starts leading.</summary>
    public Task StartedLeading => started.Task;

    /// <summary>Whether leader election decides when this replica watches.</summary>
    public bool ElectionEnabled => leaseClient is not null && options.LeaderElection.Enabled;

    /// <summary>The watchers of the current term (empty between terms).</summary>
    public IReadOnlyList<ResourceWatcher> Watchers => watchers;

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
        if (!ElectionEnabled)
        {
            await LeadAsync(stoppingToken, stoppingToken).ConfigureAwait(false);
            return;
        }

        LeaderElectionOptions election = options.LeaderElection;
        string identity = Identity(election);
        string leaseNamespace = LeaseNamespace(election);
        var config = new LeaderElectionConfig(new LeaseLock(leaseClient!, leaseNamespace, election.LeaseName, identity))
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };

        // The elector's callbacks run on its own loop: they only post transitions here, and this one loop starts
        // and ends terms, so a term's state is never touched by two threads and an ended term is always awaited.
        var transitions = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () => transitions.Writer.TryWrite(true);
        elector.OnStoppedLeading += () => transitions.Writer.TryWrite(false);
        Task electing = ElectAsync(elector, transitions.Writer, stoppingToken);
        Term? term = null;
        try
        {
            await foreach (bool lead in transitions.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (lead && term is null)
                {
                    LogLeading(logger, identity, leaseNamespace, election.LeaseName);
                    term = Term.Start(ct => LeadAsync(ct, stoppingToken), stoppingToken);
                }
                else if (!lead && term is not null)
                {
                    await term.EndAsync().ConfigureAwait(false);
                    term = null;
                    if (!stoppingToken.IsCancellationRequested)
                    {
                        LogStoppedLeading(logger, identity);
                    }
                }
            }
        }
        finally
        {
            if (term is not null)
            {
                await term.EndAsync().ConfigureAwait(false);
            }

            await electing.ConfigureAwait(false);
        }

        if (Terms > 0)
        {
            await ReleaseLeaseAsync(leaseNamespace, election.LeaseName, identity).ConfigureAwait(false);
        }
    }

    private static async Task ElectAsync(LeaderElector elector, ChannelWriter<bool> transitions, CancellationToken stoppingToken)
    {
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            transitions.TryComplete();
        }
    }

    private async Task LeadAsync(CancellationToken termToken, CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref terms);
        PublishedState? state = stateStore is null ? null : await LoadStateAsync(termToken).ConfigureAwait(false);
        var events = new EventFactory(cluster, timeProvider);
        ILogger watcherLogger = loggerFactory.CreateLogger<ResourceWatcher>();
        var rolloutBodies = new ObjectBodies();
        watchers = [.. Scopes(options).Select(scope => new ResourceWatcher(
            scope, source, publisher, events, options, timeProvider, watcherLogger, metrics, state, scope.Kind == WatchedKind.Rollout ? rolloutBodies : null))];
        IReadOnlyList<RolloutEventWatcher> eventWatchers = EventWatchers(rolloutBodies);
        leading = true;
        metrics.Leader.Set(1);
        started.TrySetResult();
        using var saving = CancellationTokenSource.CreateLinkedTokenSource(termToken);
        Task saver = state is null ? Task.CompletedTask : SaveEveryIntervalAsync(state, saving.Token);
        try
        {
            await Task.WhenAll(watchers.Select(w => w.RunAsync(termToken)).Concat(eventWatchers.Select(w => w.RunAsync(termToken)))).ConfigureAwait(false);
        }
        finally
        {
            leading = false;
            metrics.Leader.Set(0);
            watchers = [];
            await saving.CancelAsync().ConfigureAwait(false);
            await saver.ConfigureAwait(false);

            // A graceful stop while leading: what was published is saved for the next leader (and what is still
            // buffered drains) before the Lease is released. A lost Lease saves nothing: another leader may be writing.
            if (state is not null && stoppingToken.IsCancellationRequested)
            {
                await SaveAsync(state, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    // Events need a cluster: the demo scenario has none (and no reader for AnalysisRuns).
    private IReadOnlyList<RolloutEventWatcher> EventWatchers(ObjectBodies rolloutBodies)
    {
        if (source is not IObjectReader reader)
        {
            return [];
        }

        Task rolloutsListed = Task.WhenAll(watchers.Where(w => w.Scope.Kind == WatchedKind.Rollout).Select(w => w.Listed));
        ILogger eventLogger = loggerFactory.CreateLogger<RolloutEventWatcher>();
        return [.. RolloutEventWatcher.Scopes(options).Select(scope => new RolloutEventWatcher(
            scope, source, reader, publisher, rolloutBodies, cluster, options, timeProvider, eventLogger, metrics, rolloutsListed))];
    }

    private async Task<PublishedState?> LoadStateAsync(CancellationToken cancellationToken)
    {
        var state = new PublishedState();
        try
        {
            IReadOnlyList<PublishedObject> loaded = await stateStore!.LoadAsync(cancellationToken).ConfigureAwait(false);
            state.Load(loaded);
            LogStateLoaded(logger, loaded.Count, stateStore.Description);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Without the record the watcher still watches; only deletions from before this term go unnoticed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStateUnreadable(logger, ex, stateStore!.Description);
        }

        return state;
    }

    private async Task SaveEveryIntervalAsync(PublishedState state, CancellationToken cancellationToken)
    {
        long saved = -1;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.StateSaveInterval, timeProvider, cancellationToken).ConfigureAwait(false);
                long version = state.Version;
                if (version != saved && await SaveAsync(state, cancellationToken).ConfigureAwait(false))
                {
                    saved = version;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> SaveAsync(PublishedState state, CancellationToken cancellationToken)
    {
        try
        {
            await stateStore!.SaveAsync(state.Snapshot(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed save is retried at the next interval.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogStateNotSaved(logger, ex, stateStore!.Description);
            return false;
        }
    }

    private async Task ReleaseLeaseAsync(string leaseNamespace, string leaseName, string identity)
    {
        // Let what this leader accepted reach the broker first, so the next leader's events come after them.
        using var drain = new CancellationTokenSource(options.LeaderElection.ReleaseDrainTimeout);
        try
        {
            await publisher.FlushAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            using var timeout = new CancellationTokenSource(options.LeaderElection.RenewDeadline);
            k8s.Models.V1Lease lease = await leaseClient!.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, leaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != identity)
            {
                return;
            }

            // An empty holder is free to take (client-go releases the same way); the resourceVersion read above
            // makes the replace fail rather than release a Lease someone else took meanwhile.
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await leaseClient.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, leaseNamespace, cancellationToken: timeout.Token).ConfigureAwait(false);
            LogReleased(logger, identity, leaseNamespace, leaseName);
        }
#pragma warning disable CA1031 // Not releasing only delays the next leader until the Lease expires.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReleaseFailed(logger, ex, leaseNamespace, leaseName);
        }
    }

    private static string Identity(LeaderElectionOptions election) =>
        election.Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    private static string LeaseNamespace(LeaderElectionOptions election) =>
        election.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} leads (Lease {LeaseNamespace}/{LeaseName}): watching")]
    private static partial void LogLeading(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership: watching stopped")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released the Lease {LeaseNamespace}/{LeaseName}")]
    private static partial void LogReleased(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the Lease {LeaseNamespace}/{LeaseName}; the next leader takes over when it expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string leaseNamespace, string leaseName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} objects published by an earlier leader from {Store}")]
    private static partial void LogStateLoaded(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read the published state from {Store}: objects deleted while no watcher ran will not be reported")]
    private static partial void LogStateUnreadable(ILogger logger, Exception exception, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot save the published state to {Store}; retrying at the next interval")]
    private static partial void LogStateNotSaved(ILogger logger, Exception exception, string store);

    /// <summary>One term of leadership: its cancellation source and the loop it runs, ended together.</summary>
    private sealed class Term
    {
        private readonly CancellationTokenSource cancellation;
        private readonly Task running;

        private Term(CancellationTokenSource cancellation, Task running)
        {
            this.cancellation = cancellation;
            this.running = running;
        }

        public static Term Start(Func<CancellationToken, Task> run, CancellationToken stoppingToken)
        {
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            return new Term(cancellation, Task.Run(() => run(cancellation.Token), CancellationToken.None));
        }

        public async Task EndAsync()
        {
            await cancellation.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                cancellation.Dispose();
            }
        }
    }
}
