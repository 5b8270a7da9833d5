namespace Lookout.Watcher.Kubernetes;

/// <summary>Options of the watcher's Kubernetes side (configuration section <c>Watcher</c>).</summary>
public sealed class WatcherOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Watcher";

    /// <summary>The cluster name stamped on events when <see cref="Cluster"/> is not set and a real cluster is watched.</summary>
    public const string DefaultCluster = "in-cluster";

    /// <summary>The cluster name stamped on a demo scenario's events when <see cref="Cluster"/> is not set.</summary>
    public const string DemoCluster = "demo";

    /// <summary>
    /// The cluster name stamped on every event (<c>ObjectIdentity.Cluster</c>). When empty: <c>in-cluster</c> for a
    /// real cluster, <c>demo</c> for the demo scenario.
    /// </summary>
    public string? Cluster { get; set; }

    /// <summary>Namespaces to watch; empty means all namespaces (cluster-wide list and watch).</summary>
    public IList<string> Namespaces { get; } = new List<string>();

    /// <summary>Optional Kubernetes label selector applied to list and watch (for example <c>team=payments</c>).</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Path of a kubeconfig file. When empty: in-cluster configuration if running in a pod, else the demo scenario.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>
    /// The API server's URL without credentials, for <c>kubectl proxy</c> (<c>http://127.0.0.1:8001</c>) and tests;
    /// takes precedence over <see cref="Kubeconfig"/>.
    /// </summary>
    public string? ApiServer { get; set; }

    /// <summary>A folder of Application/Rollout snapshots replayed as watch events when no cluster is configured.</summary>
    public string? DemoScenarioPath { get; set; }

    /// <summary>Pause between two scenario files.</summary>
    public TimeSpan DemoReplayInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether Applications are watched.</summary>
    public bool WatchApplications { get; set; } = true;

    /// <summary>Whether Rollouts are watched.</summary>
    public bool WatchRollouts { get; set; } = true;

    /// <summary>
    /// Whether the Kubernetes Events about Rollouts and AnalysisRuns are watched and published (Argo Rollouts'
    /// notifications fire from them); only when <see cref="WatchRollouts"/> is on, and only against a cluster.
    /// </summary>
    public bool WatchRolloutEvents { get; set; } = true;

    /// <summary>
    /// At start, Events that occurred longer ago than this are history and not published; younger ones are (they may
    /// fall in the gap of a restart or a leader handover; their message ids let the notifier recognise a repeat).
    /// </summary>
    public TimeSpan EventMaxAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the server may keep one watch request open before the watcher re-opens it.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First delay after a failed list or watch; doubled on each further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of the retry delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A list or watch that failed this many times in a row, without a watch opening since, makes the watcher not ready.</summary>
    public int FailuresBeforeNotReady { get; set; } = 3;

    /// <summary>How often the leader saves what it published (the record a restarted watcher or new leader reads).</summary>
    public TimeSpan StateSaveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where the published-state record lives when no cluster is written to (the demo, the all-in-one host): a file
    /// path. Against a cluster the record is the ConfigMap <c>{LeaseName}-state</c> beside the Lease.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>Leader election on a coordination.k8s.io Lease.</summary>
    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Watcher</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cluster is not null && string.IsNullOrWhiteSpace(options.Cluster))
        {
            yield return (nameof(Cluster), "must not be blank");
        }

        if (options.FailuresBeforeNotReady < 1)
        {
            yield return (nameof(FailuresBeforeNotReady), "must be at least 1");
        }

        if (options.EventMaxAge < TimeSpan.Zero)
        {
            yield return (nameof(EventMaxAge), "must not be negative");
        }

        if (!options.WatchApplications && !options.WatchRollouts)
        {
            yield return (nameof(WatchApplications), "at least one of WatchApplications and WatchRollouts must be true");
        }

        if (!string.IsNullOrWhiteSpace(options.ApiServer) && !Uri.TryCreate(options.ApiServer, UriKind.Absolute, out _))
        {
            yield return (nameof(ApiServer), "must be an absolute URL such as http://127.0.0.1:8001");
        }

        if (!string.IsNullOrWhiteSpace(options.Kubeconfig) && !File.Exists(options.Kubeconfig))
        {
            yield return (nameof(Kubeconfig), $"file '{options.Kubeconfig}' does not exist");
        }

        if (!string.IsNullOrWhiteSpace(options.DemoScenarioPath) && !Directory.Exists(options.DemoScenarioPath))
        {
            yield return (nameof(DemoScenarioPath), $"folder '{options.DemoScenarioPath}' does not exist");
        }

        foreach ((string name, TimeSpan value) in new[]
        {
            (nameof(DemoReplayInterval), options.DemoReplayInterval),
            (nameof(WatchTimeout), options.WatchTimeout),
            (nameof(InitialBackoff), options.InitialBackoff),
            (nameof(MaxBackoff), options.MaxBackoff),
            (nameof(StateSaveInterval), options.StateSaveInterval),
            ("LeaderElection:ReleaseDrainTimeout", options.LeaderElection.ReleaseDrainTimeout),
            ("LeaderElection:LeaseDuration", options.LeaderElection.LeaseDuration),
            ("LeaderElection:RenewDeadline", options.LeaderElection.RenewDeadline),
            ("LeaderElection:RetryPeriod", options.LeaderElection.RetryPeriod),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return (name, "must be positive");
            }
        }

        LeaderElectionOptions election = options.LeaderElection;
        if (election.Enabled && (election.LeaseDuration <= election.RenewDeadline || election.RenewDeadline <= election.RetryPeriod))
        {
            yield return ("LeaderElection", "LeaseDuration must exceed RenewDeadline, which must exceed RetryPeriod");
        }

        if (election.Enabled && string.IsNullOrWhiteSpace(election.LeaseName))
        {
            yield return ("LeaderElection:LeaseName", "must not be empty");
        }
    }
}

/// <summary>Leader election settings: only the holder of the Lease watches and publishes.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Off only for a single replica or the demo; two replicas without it both publish.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Lease's name.</summary>
    public string LeaseName { get; set; } = "lookout-watcher";

    /// <summary>The Lease's namespace; defaults to the pod's namespace (POD_NAMESPACE) or <c>default</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This replica's identity; defaults to POD_NAME or the host name.</summary>
    public string? Identity { get; set; }

    /// <summary>
    /// How long a Lease is valid without renewal: after a crash (no graceful release) the next replica takes over
    /// between <c>LeaseDuration</c> and <c>LeaseDuration + 2 × RetryPeriod</c> later. A graceful stop releases the
    /// Lease, and the next replica takes over within one <see cref="RetryPeriod"/>.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a candidate tries to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At a graceful stop, how long the leader waits for its buffered events to reach the broker before it releases the Lease.</summary>
    public TimeSpan ReleaseDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
