using System.Text.Json.Nodes;
using Lookout.Helm.Tests.Rendering;
using Lookout.Helm.Tests.Validation;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests;

/// <summary>The validator the chart tests lean on refuses what the API server would refuse.</summary>
public sealed class ManifestValidatorTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          replicas: 2
          selector: {matchLabels: {app: d}}
          template:
            metadata: {labels: {app: d}}
            spec:
              containers:
                - name: c
                  image: busybox
                  securityContext: {readOnlyRootFilesystem: true}
                  resources: {limits: {memory: 64Mi, cpu: 100m}}
        """;

    public static TheoryData<string, string, string> BadManifests => new()
    {
        { "misspelt field", Deployment.Replace("replicas: 2", "replica: 2", StringComparison.Ordinal), "replica" },
        { "misspelt nested field", Deployment.Replace("readOnlyRootFilesystem", "readOnlyRootFileSystem", StringComparison.Ordinal), "readOnlyRootFileSystem" },
        { "wrong type", Deployment.Replace("replicas: 2", "replicas: two", StringComparison.Ordinal), "replicas" },
        { "field at the wrong level", Deployment.Replace("  replicas: 2", "  replicas: 2\n  image: busybox", StringComparison.Ordinal), "image" },
        { "unknown kind", Deployment.Replace("kind: Deployment", "kind: Deploymnet", StringComparison.Ordinal), "no model or schema for apps/v1 Deploymnet" },
        { "custom resource field", "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}\nspec: {selector: {}, endpoints: [{port: http, intervall: 30s}]}", "at '/spec/endpoints/0/intervall'" },
        { "custom resource type", "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata: {name: r}\nspec: {replicas: three}", "at '/spec/replicas'" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public void BadManifest_IsRefused(string what, string yaml, string expected)
    {
        IReadOnlyList<string> problems = ManifestValidator.Validate(Manifest(yaml));

        Assert.True(problems.Count > 0, what);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void GoodManifest_Passes()
    {
        Assert.Empty(ManifestValidator.Validate(Manifest(Deployment)));
    }

    private static RenderedManifest Manifest(string yaml) =>
        new("test.yaml", yaml, (JsonObject)YamlDocuments.Parse(yaml, "test.yaml").Single());
}
