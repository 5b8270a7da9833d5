using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using Lookout.Analysis.Templates;
using Lookout.Values;

namespace Lookout.Analyzer.Kubernetes;

/// <summary>AnalysisTemplates and ClusterAnalysisTemplates read through the Kubernetes API, when a run starts.</summary>
public sealed class KubernetesTemplateStore(IKubernetes client) : ITemplateStore
{
    private const string Group = "argoproj.io";
    private const string Version = "v1alpha1";

    /// <inheritdoc/>
    public async Task<AnalysisTemplate?> GetAsync(TemplateRef reference, string @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            object raw = reference.ClusterScope
                ? await client.CustomObjects.GetClusterCustomObjectAsync(Group, Version, "clusteranalysistemplates", reference.Name, cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, @namespace, "analysistemplates", reference.Name, cancellationToken).ConfigureAwait(false);
            string json = raw is System.Text.Json.JsonElement e ? e.GetRawText() : KubernetesJson.Serialize(raw);
            ObjectMap obj = ObjectModel.FromJson(json) as ObjectMap ?? throw new TemplateException($"{reference}: not an object");
            return TemplateParser.Parse(obj, reference.ClusterScope ? $"ClusterAnalysisTemplate {reference.Name}" : $"AnalysisTemplate {@namespace}/{reference.Name}");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

/// <summary>Secrets read through the Kubernetes API for <c>valueFrom.secretKeyRef</c> arguments.</summary>
public sealed class KubernetesSecretReader(IKubernetes client) : ISecretReader
{
    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (k, v) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                data[k] = v;
            }

            foreach (var (k, v) in secret.StringData ?? new Dictionary<string, string>())
            {
                data[k] = Encoding.UTF8.GetBytes(v);
            }

            return data;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
