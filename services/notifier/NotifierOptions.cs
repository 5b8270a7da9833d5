namespace Lookout.Notifier;

/// <summary>The notifier's settings (configuration section <c>Notifier</c>).</summary>
public sealed class NotifierOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Notifier";

    /// <summary>
    /// The embedded mode's ConfigMap file (it may hold the Secret too). When set, the configuration comes from files
    /// and the state from <see cref="DataDirectory"/>; otherwise from the cluster.
    /// </summary>
    public string? ConfigPath { get; set; }

    /// <summary>The embedded mode's Secret file, when not in <see cref="ConfigPath"/>.</summary>
    public string? SecretPath { get; set; }

    /// <summary>
    /// The embedded mode's AppProjects: a YAML file, or a folder whose <c>*.yaml</c> files (sub-folders included) hold
    /// them; an Application's project subscriptions come from there when there is no cluster.
    /// </summary>
    public string? ProjectsPath { get; set; }

    /// <summary>The Kubernetes API (for <c>kubectl proxy</c> and tests); else <see cref="Kubeconfig"/> or the pod's service account.</summary>
    public string? ApiServer { get; set; }

    /// <summary>A kubeconfig file.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The namespace of the ConfigMap and the Secret.</summary>
    public string Namespace { get; set; } = "argocd";

    public string ConfigMapName { get; set; } = "argocd-notifications-cm";

    public string SecretName { get; set; } = "argocd-notifications-secret";

    /// <summary>
    /// notifications-engine's self-service mode (<c>--self-service-notification-enabled</c>, as Argo CD's and Argo
    /// Rollouts' controllers name it): the same ConfigMap and Secret in an object's own namespace notify it too.
    /// </summary>
    public bool SelfServiceNotificationEnabled { get; set; }

    /// <summary>Argo Rollouts' own configuration, used for Rollouts (section <c>Notifier:Rollouts</c>).</summary>
    public RolloutsConfigOptions Rollouts { get; set; } = new();

    /// <summary>How often the configuration is checked for changes.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where durable files go (embedded state, Slack threads, the sent ledger, dead letters); empty keeps them in
    /// memory (tests, dry runs).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Delivery: retries, circuit breaker, rate limits.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>Argo CD's repo server (or canned answers) for <c>repo.GetCommitMetadata</c> and <c>repo.GetAppDetails</c>.</summary>
    public Lookout.Notifications.Repo.RepoServerSettings RepoServer { get; set; } = new();

    /// <summary>Argo CD's notifications controller flags, mapped to these settings (for example <c>--argocd-repo-server host:port</c>).</summary>
    public static IReadOnlyDictionary<string, string> Switches { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--argocd-repo-server"] = "Notifier:RepoServer:Address",
        ["--argocd-repo-server-plaintext"] = "Notifier:RepoServer:Plaintext",
        ["--argocd-repo-server-strict-tls"] = "Notifier:RepoServer:StrictTls",
        ["--repo-server-ca-cert-path"] = "Notifier:RepoServer:CaCertPath",
        ["--repo-server-client-cert-path"] = "Notifier:RepoServer:ClientCertPath",
        ["--repo-server-client-cert-key-path"] = "Notifier:RepoServer:ClientCertKeyPath",
        ["--repo-answers"] = "Notifier:RepoServer:AnswersPath",
        ["--self-service-notification-enabled"] = "Notifier:SelfServiceNotificationEnabled",
    };

    /// <summary>Go's boolean flags may stand alone (<c>--argocd-repo-server-plaintext</c>); .NET's need a value, so one is added.</summary>
    public static string[] WithBooleanValues(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(a => a is "--argocd-repo-server-plaintext" or "--argocd-repo-server-strict-tls" or "--self-service-notification-enabled" ? a + "=true" : a)];
    }

    /// <summary>Whether the configuration and state come from files (no cluster).</summary>
    public bool IsEmbedded => !string.IsNullOrWhiteSpace(ConfigPath) || (string.IsNullOrWhiteSpace(ApiServer) && string.IsNullOrWhiteSpace(Kubeconfig) && !k8s.KubernetesClientConfiguration.IsInCluster());

    /// <summary>A file under <see cref="DataDirectory"/>, or null.</summary>
    public string? DataFile(string name) => string.IsNullOrWhiteSpace(DataDirectory) ? null : Path.Combine(DataDirectory, name);

    /// <summary>The problems of these options, as (setting, problem) pairs below <c>Notifier</c>.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(NotifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReloadInterval <= TimeSpan.Zero)
        {
            yield return (nameof(ReloadInterval), "must be positive");
        }

        if (!string.IsNullOrWhiteSpace(options.ConfigPath) && !File.Exists(options.ConfigPath))
        {
            yield return (nameof(ConfigPath), "names a file that does not exist");
        }

        if (!string.IsNullOrWhiteSpace(options.Rollouts.ConfigPath) && !File.Exists(options.Rollouts.ConfigPath))
        {
            yield return ("Rollouts:ConfigPath", "names a file that does not exist");
        }

        DeliveryOptions d = options.Delivery;
        if (d.MaxAttempts < 1)
        {
            yield return ("Delivery:MaxAttempts", "must be at least 1");
        }

        if (d.InitialBackoff < TimeSpan.Zero || d.MaxBackoff < d.InitialBackoff)
        {
            yield return ("Delivery:MaxBackoff", "must be at least Delivery:InitialBackoff, which must not be negative");
        }

        if (d.CircuitFailures < 1)
        {
            yield return ("Delivery:CircuitFailures", "must be at least 1");
        }

        foreach ((string setting, string problem) in Lookout.Notifications.Repo.RepoServerSettings.Check(options.RepoServer))
        {
            yield return ("RepoServer:" + setting, problem);
        }
    }
}

/// <summary>
/// Where Argo Rollouts' notification configuration comes from (section <c>Notifier:Rollouts</c>): its ConfigMap and
/// Secret in Argo Rollouts' namespace, or files in the embedded mode. Rollouts are notified with it (and Argo Rollouts'
/// built-in catalog), never with Argo CD's.
/// </summary>
public sealed class RolloutsConfigOptions
{
    /// <summary>The namespace of the ConfigMap and the Secret (Argo Rollouts' own install uses <c>argo-rollouts</c>).</summary>
    public string Namespace { get; set; } = "argo-rollouts";

    public string ConfigMapName { get; set; } = "argo-rollouts-notification-configmap";

    public string SecretName { get; set; } = "argo-rollouts-notification-secret";

    /// <summary>The embedded mode's ConfigMap file (it may hold the Secret too); none means the built-in catalog alone.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>The embedded mode's Secret file, when not in <see cref="ConfigPath"/>.</summary>
    public string? SecretPath { get; set; }
}

/// <summary>How notifications are delivered (section <c>Notifier:Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    /// <summary>Attempts per notification before it goes to the dead letters (429 waits do not count).</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failures of one service that open its circuit.</summary>
    public int CircuitFailures { get; set; } = 5;

    /// <summary>How long an open circuit fails sends at once before one trial send.</summary>
    public TimeSpan CircuitOpenFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Slack's per-channel limit: one message per channel per this interval.</summary>
    public TimeSpan SlackChannelInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest total time one notification waits on 429s before it counts as a failed attempt.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(5);
}
