using System.Text;
using k8s;
using k8s.Models;
using Lookout.Notifications.Repo;

namespace Lookout.Notifier.Repo;

/// <summary>
/// Argo CD's repository Secrets, listed through the Kubernetes API in Argo CD's namespace by their type label. Without
/// the right to list Secrets there (the Helm chart grants none by default) every repository is asked for without
/// credentials, which serves public repositories; the repo server's own error names the rest.
/// </summary>
public sealed class KubernetesRepositorySecrets(IKubernetes client, string @namespace) : IRepositorySecrets
{
    /// <summary>The label Argo CD gives its repository and credential-template Secrets.</summary>
    public const string SecretTypeLabel = "argocd.argoproj.io/secret-type";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ListAsync(string secretType, CancellationToken cancellationToken)
    {
        V1SecretList list;
        try
        {
            list = await client.CoreV1.ListNamespacedSecretAsync(@namespace, labelSelector: $"{SecretTypeLabel}={secretType}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return [];
        }

        return [.. list.Items
            .OrderBy(s => s.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(s => s.Metadata?.Name, StringComparer.Ordinal)
            .Select(s => (IReadOnlyDictionary<string, string>)(s.Data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal))];
    }
}
