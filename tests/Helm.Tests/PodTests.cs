using k8s.Models;
using Lookout.Helm.Tests.Rendering;
using Lookout.Helm.Tests.Validation;

namespace Lookout.Helm.Tests;

/// <summary>Every pod the chart runs meets the restricted Pod Security Standard and is probed on the right endpoints.</summary>
public sealed class PodTests
{
    [Theory]
    [MemberData(nameof(Chart.VariantData), MemberType = typeof(Chart))]
    public void EveryPod_IsRestricted(string variant)
    {
        RenderResult result = Chart.RenderVariant(variant);

        foreach ((string name, V1PodSpec pod) in PodSpecs(result))
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{name}: runAsNonRoot");
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
            Assert.Null(pod.HostNetwork);
            Assert.Null(pod.HostPID);
            foreach (V1Container container in pod.Containers)
            {
                V1SecurityContext security = container.SecurityContext;
                Assert.False(security.AllowPrivilegeEscalation, $"{name}/{container.Name}: allowPrivilegeEscalation");
                Assert.True(security.ReadOnlyRootFilesystem, $"{name}/{container.Name}: readOnlyRootFilesystem");
                Assert.True(security.RunAsNonRoot, $"{name}/{container.Name}: runAsNonRoot");
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                Assert.Null(security.Capabilities.Add);
                Assert.Null(security.Privileged);
                Assert.NotNull(container.Resources.Limits["memory"]);
            }
        }
    }

    [Fact]
    public void EveryService_IsProbedOnHealthzAndReadyz()
    {
        foreach (RenderedManifest deployment in Chart.Render().OfKind("Deployment"))
        {
            V1Container container = ManifestValidator.As<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single();
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
            Assert.All(new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }, p => Assert.Equal("http", p.HttpGet.Port.Value));
            Assert.Equal(8080, container.Ports.Single(p => p.Name == "http").ContainerPort);
            Assert.Equal($"/app/{deployment.Object["metadata"]!["labels"]!["app.kubernetes.io/component"]}", container.Command.Single());
        }
    }

    [Fact]
    public void EveryService_HasADisruptionBudgetSelectingItsPods()
    {
        RenderResult result = Chart.Render();

        foreach (RenderedManifest deployment in result.OfKind("Deployment"))
        {
            V1Deployment d = ManifestValidator.As<V1Deployment>(deployment);
            V1PodDisruptionBudget budget = ManifestValidator.As<V1PodDisruptionBudget>(result.Single("PodDisruptionBudget", deployment.Name));
            Assert.Equal(d.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
            Assert.All(d.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, d.Spec.Template.Metadata.Labels[l.Key]));
        }

        Assert.Empty(Chart.Render("podDisruptionBudget: {enabled: false}").OfKind("PodDisruptionBudget"));
    }

    [Fact]
    public void HelmTestPod_IsATestHook_ThatCallsEveryServicesReadyz()
    {
        RenderResult result = Chart.Render();

        V1Pod pod = ManifestValidator.As<V1Pod>(result.Single("Pod", "lookout-test-readyz"));
        Assert.Equal("test", pod.Metadata.Annotations["helm.sh/hook"]);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        string script = pod.Spec.Containers.Single().Args.Single();
        foreach (string service in new[] { "watcher", "notifier", "analyzer" })
        {
            Assert.Contains($"http://lookout-{service}:8080/readyz", script, StringComparison.Ordinal);
        }

        Assert.Empty(Chart.Render("tests: {enabled: false}").OfKind("Pod"));
    }

    public static TheoryData<string, string[]> NotesByVariant => new()
    {
        { "default", ["watcher  x2", "Lease argocd/lookout-watcher", "create secret generic lookout-rabbitmq --from-literal=url=", "helm test lookout -n argocd"] },
        { "external-rabbitmq", ["the URL from your values, stored in the Secret lookout-rabbitmq"] },
        { "rabbitmq-operator", ["the RabbitmqCluster lookout-rabbitmq", "WARNING: the cluster does not report rabbitmq.com/v1beta1"] },
        { "ha", ["notifier x2"] },
    };

    [Theory]
    [MemberData(nameof(NotesByVariant))]
    public void Notes_SayWhatWasInstalledAndHowToCheckIt(string variant, string[] expected)
    {
        string notes = Chart.RenderVariant(variant).Notes;

        Assert.All(expected, e => Assert.Contains(e, notes, StringComparison.Ordinal));
        Assert.DoesNotContain("change-me", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_DropTheOperatorWarning_WhenTheClusterHasTheApi()
    {
        RenderResult result = Chart.Renderer.Render(new ReleaseOptions { ExtraApiVersions = ["rabbitmq.com/v1beta1"] }, Chart.VariantValues("rabbitmq-operator"));

        Assert.DoesNotContain("WARNING", result.Notes, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, V1PodSpec Spec)> PodSpecs(RenderResult result) =>
        result.OfKind("Deployment").Select(d => (d.Name, ManifestValidator.As<V1Deployment>(d).Spec.Template.Spec))
            .Concat(result.OfKind("Pod").Select(p => (p.Name, ManifestValidator.As<V1Pod>(p).Spec)));
}
