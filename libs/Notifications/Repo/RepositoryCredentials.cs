using System.Globalization;
using Lookout.Notifications.Repo.Grpc;

namespace Lookout.Notifications.Repo;

/// <summary>Reads Argo CD's repository Secrets (in the cluster: the Kubernetes API; in tests: a list).</summary>
public interface IRepositorySecrets
{
    /// <summary>
    /// The decoded data of every Secret in Argo CD's namespace labelled <c>argocd.argoproj.io/secret-type</c> =
    /// <paramref name="secretType"/> (<c>repository</c> or <c>repo-creds</c>).
    /// </summary>
    Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ListAsync(string secretType, CancellationToken cancellationToken);
}

/// <summary>No Secrets: every repository is asked for without credentials.</summary>
public sealed class NoRepositorySecrets : IRepositorySecrets
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ListAsync(string secretType, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IReadOnlyDictionary<string, string>>>([]);
}

/// <summary>
/// Argo CD's repository look-up (argo-cd util/db <c>GetRepository</c>): the <c>repository</c> Secret whose <c>url</c> is
/// the same repository and whose <c>project</c> is the Application's (else one with no project); without one, the bare
/// URL. A repository without credentials of its own inherits those of the <c>repo-creds</c> Secret whose <c>url</c> is
/// the longest prefix of it.
/// </summary>
public sealed class RepositoryCredentials(IRepositorySecrets secrets)
{
    /// <summary>The label value of repository Secrets.</summary>
    public const string RepositoryType = "repository";

    /// <summary>The label value of credential templates.</summary>
    public const string RepoCredsType = "repo-creds";

    /// <summary>The repository with its credentials.</summary>
    public async Task<Repository> GetAsync(string repoUrl, string project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repoUrl);
        IReadOnlyDictionary<string, string>? found = null;
        foreach (IReadOnlyDictionary<string, string> secret in await secrets.ListAsync(RepositoryType, cancellationToken).ConfigureAwait(false))
        {
            if (!GitUrls.Same(secret.GetValueOrDefault("url") ?? string.Empty, repoUrl))
            {
                continue;
            }

            string secretProject = secret.GetValueOrDefault("project") ?? string.Empty;
            if (secretProject == project)
            {
                found = secret;
                break;
            }

            if (secretProject.Length == 0)
            {
                found ??= secret;
            }
        }

        Repository repository = found is null ? new Repository { Repo = repoUrl } : FromSecret(found);
        if (!HasCredentials(repository))
        {
            IReadOnlyDictionary<string, string>? template = LongestPrefix(await secrets.ListAsync(RepoCredsType, cancellationToken).ConfigureAwait(false), repository.Repo);
            if (template is not null)
            {
                CopyCredentials(FromSecret(template), repository);
                repository.InheritedCreds = true;
            }
        }

        return repository;
    }

    /// <summary>The Helm repositories (repository Secrets of type <c>helm</c>) a chart's dependencies may come from.</summary>
    public async Task<IReadOnlyList<Repository>> HelmRepositoriesAsync(CancellationToken cancellationToken)
    {
        var list = new List<Repository>();
        foreach (IReadOnlyDictionary<string, string> secret in await secrets.ListAsync(RepositoryType, cancellationToken).ConfigureAwait(false))
        {
            if (secret.GetValueOrDefault("type") == "helm")
            {
                list.Add(FromSecret(secret));
            }
        }

        return list;
    }

    private static IReadOnlyDictionary<string, string>? LongestPrefix(IReadOnlyList<IReadOnlyDictionary<string, string>> templates, string repoUrl)
    {
        string url = GitUrls.Normalize(repoUrl);
        IReadOnlyDictionary<string, string>? best = null;
        int bestLength = 0;
        foreach (IReadOnlyDictionary<string, string> template in templates)
        {
            string prefix = GitUrls.Normalize(template.GetValueOrDefault("url") ?? string.Empty);
            if (prefix.Length > bestLength && url.StartsWith(prefix, StringComparison.Ordinal))
            {
                best = template;
                bestLength = prefix.Length;
            }
        }

        return best;
    }

    private static bool HasCredentials(Repository r) =>
        r.Username.Length > 0 || r.Password.Length > 0 || r.BearerToken.Length > 0 || r.SshPrivateKey.Length > 0
        || r.TlsClientCertData.Length > 0 || r.GithubAppPrivateKey.Length > 0 || r.GcpServiceAccountKey.Length > 0
        || r.UseAzureWorkloadIdentity || r.AzureServicePrincipalClientSecret.Length > 0;

    private static void CopyCredentials(Repository from, Repository to)
    {
        to.Username = Or(to.Username, from.Username);
        to.Password = Or(to.Password, from.Password);
        to.BearerToken = Or(to.BearerToken, from.BearerToken);
        to.SshPrivateKey = Or(to.SshPrivateKey, from.SshPrivateKey);
        to.TlsClientCertData = Or(to.TlsClientCertData, from.TlsClientCertData);
        to.TlsClientCertKey = Or(to.TlsClientCertKey, from.TlsClientCertKey);
        to.GithubAppPrivateKey = Or(to.GithubAppPrivateKey, from.GithubAppPrivateKey);
        to.GithubAppId = to.GithubAppId != 0 ? to.GithubAppId : from.GithubAppId;
        to.GithubAppInstallationId = to.GithubAppInstallationId != 0 ? to.GithubAppInstallationId : from.GithubAppInstallationId;
        to.GithubAppEnterpriseBaseUrl = Or(to.GithubAppEnterpriseBaseUrl, from.GithubAppEnterpriseBaseUrl);
        to.GcpServiceAccountKey = Or(to.GcpServiceAccountKey, from.GcpServiceAccountKey);
        to.Proxy = Or(to.Proxy, from.Proxy);
        to.NoProxy = Or(to.NoProxy, from.NoProxy);
        to.ForceHttpBasicAuth |= from.ForceHttpBasicAuth;
        to.EnableOci |= from.EnableOci;
        to.UseAzureWorkloadIdentity |= from.UseAzureWorkloadIdentity;
        to.AzureServicePrincipalClientId = Or(to.AzureServicePrincipalClientId, from.AzureServicePrincipalClientId);
        to.AzureServicePrincipalClientSecret = Or(to.AzureServicePrincipalClientSecret, from.AzureServicePrincipalClientSecret);
        to.AzureServicePrincipalTenantId = Or(to.AzureServicePrincipalTenantId, from.AzureServicePrincipalTenantId);
        to.AzureActiveDirectoryEndpoint = Or(to.AzureActiveDirectoryEndpoint, from.AzureActiveDirectoryEndpoint);
    }

    private static string Or(string mine, string theirs) => mine.Length > 0 ? mine : theirs;

    /// <summary>A Secret's data as Argo CD reads it into a repository.</summary>
    private static Repository FromSecret(IReadOnlyDictionary<string, string> data)
    {
        string S(string key) => data.GetValueOrDefault(key) ?? string.Empty;
        bool B(string key) => data.GetValueOrDefault(key) is "1" or "t" or "T" || (bool.TryParse(data.GetValueOrDefault(key), out bool b) && b);
        long L(string key) => long.TryParse(data.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : 0;
        return new Repository
        {
            Name = S("name"),
            Repo = S("url"),
            Username = S("username"),
            Password = S("password"),
            BearerToken = S("bearerToken"),
            SshPrivateKey = S("sshPrivateKey"),
            TlsClientCertData = S("tlsClientCertData"),
            TlsClientCertKey = S("tlsClientCertKey"),
            Type = S("type"),
            GithubAppPrivateKey = S("githubAppPrivateKey"),
            GithubAppEnterpriseBaseUrl = S("githubAppEnterpriseBaseUrl"),
            Proxy = S("proxy"),
            NoProxy = S("noProxy"),
            Project = S("project"),
            GcpServiceAccountKey = S("gcpServiceAccountKey"),
            AzureServicePrincipalClientId = S("azureServicePrincipalClientId"),
            AzureServicePrincipalClientSecret = S("azureServicePrincipalClientSecret"),
            AzureServicePrincipalTenantId = S("azureServicePrincipalTenantId"),
            AzureActiveDirectoryEndpoint = S("azureActiveDirectoryEndpoint"),
            InsecureIgnoreHostKey = B("insecureIgnoreHostKey"),
            Insecure = B("insecure"),
            EnableLfs = B("enableLfs"),
            EnableOci = B("enableOCI"),
            InsecureOciForceHttp = B("insecureOCIForceHttp"),
            ForceHttpBasicAuth = B("forceHttpBasicAuth"),
            UseAzureWorkloadIdentity = B("useAzureWorkloadIdentity"),
            WebhookManifestCacheWarmDisabled = B("webhookManifestCacheWarmDisabled"),
            GithubAppId = L("githubAppID"),
            GithubAppInstallationId = L("githubAppInstallationID"),
            Depth = L("depth"),
        };
    }
}
