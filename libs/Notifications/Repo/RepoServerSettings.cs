namespace Lookout.Notifications.Repo;

/// <summary>
/// How the notifier reaches Argo CD's repo server for the <c>repo</c> helpers (section <c>Notifier:RepoServer</c>),
/// with the settings of Argo CD's notifications controller: <c>--argocd-repo-server</c>,
/// <c>--argocd-repo-server-plaintext</c>, <c>--argocd-repo-server-strict-tls</c>, <c>--repo-server-ca-cert-path</c>,
/// <c>--repo-server-client-cert-path</c> and <c>--repo-server-client-cert-key-path</c>, and its 5-second timeout.
/// </summary>
public sealed class RepoServerSettings
{
    /// <summary>Argo CD's default address, used in the cluster mode when <see cref="Address"/> is not set.</summary>
    public const string DefaultAddress = "argocd-repo-server:8081";

    /// <summary>Argo CD's mount of the repo server's own certificate, trusted when TLS is strict and no CA file is named.</summary>
    public const string DefaultTlsDirectory = "/app/config/reposerver/tls";

    /// <summary><c>host:port</c> (or a URL) of the repo server; unset: <see cref="DefaultAddress"/> in the cluster mode, none in the embedded mode.</summary>
    public string? Address { get; set; }

    /// <summary>Speak HTTP/2 without TLS.</summary>
    public bool Plaintext { get; set; }

    /// <summary>Verify the server's certificate (chain and name) against <see cref="CaCertPath"/>, else against <see cref="DefaultTlsDirectory"/>'s tls.crt and ca.crt. Otherwise any certificate is accepted, as Argo CD does.</summary>
    public bool StrictTls { get; set; }

    /// <summary>PEM file of the CA(s) the repo server's certificate must chain to; setting it makes TLS strict.</summary>
    public string? CaCertPath { get; set; }

    /// <summary>PEM client certificate for mutual TLS; skipped when the file does not exist (Argo CD mounts it at /app/config/reposerver/mtls).</summary>
    public string? ClientCertPath { get; set; } = "/app/config/reposerver/mtls/client.crt";

    /// <summary>PEM key of <see cref="ClientCertPath"/>.</summary>
    public string? ClientCertKeyPath { get; set; } = "/app/config/reposerver/mtls/client.key";

    /// <summary>How long one answer may take, retries included; then the helper fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Answers kept, per (repository, revision) for commits and per (repository, revision, source) for app details.</summary>
    public int CacheSize { get; set; } = 1000;

    /// <summary>How long an answer is kept.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a failure is kept, so a burst of notifications during an outage asks once, not once each.</summary>
    public TimeSpan FailureCacheFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A file of canned answers (YAML or JSON, see docs/notifications.md) that serves the helpers instead of a repo
    /// server: the embedded mode's <c>--repo-answers</c>.
    /// </summary>
    public string? AnswersPath { get; set; }

    /// <summary>Whether TLS is strict: asked for, or implied by a CA file.</summary>
    public bool IsStrict => StrictTls || !string.IsNullOrWhiteSpace(CaCertPath);

    /// <summary>The problems of these settings, as (setting, problem) pairs.</summary>
    public static IEnumerable<(string Setting, string Problem)> Check(RepoServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Timeout <= TimeSpan.Zero)
        {
            yield return (nameof(Timeout), "must be positive");
        }

        if (settings.CacheSize < 1)
        {
            yield return (nameof(CacheSize), "must be at least 1");
        }

        if (settings.CacheFor <= TimeSpan.Zero || settings.FailureCacheFor < TimeSpan.Zero)
        {
            yield return (nameof(CacheFor), "must be positive (and FailureCacheFor not negative)");
        }

        if (!string.IsNullOrWhiteSpace(settings.CaCertPath) && !File.Exists(settings.CaCertPath))
        {
            yield return (nameof(CaCertPath), "names a file that does not exist");
        }

        if (!string.IsNullOrWhiteSpace(settings.AnswersPath) && !File.Exists(settings.AnswersPath))
        {
            yield return (nameof(AnswersPath), "names a file that does not exist");
        }

        if (!string.IsNullOrWhiteSpace(settings.Address) && Uri.CheckHostName(GrpcRepoServer.HostOf(settings.Address)) == UriHostNameType.Unknown)
        {
            yield return (nameof(Address), "must be host:port or a URL");
        }
    }
}
