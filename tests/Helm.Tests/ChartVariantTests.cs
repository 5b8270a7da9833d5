using System.Text.Json.Nodes;
using k8s.Models;
using Lookout.Helm.Tests.Rendering;
using Lookout.Helm.Tests.Validation;

namespace Lookout.Helm.Tests;

/// <summary>Every documented variant renders, and every object it renders is one the API server would accept.</summary>
public sealed class ChartVariantTests
{
    [Theory]
    [MemberData(nameof(Chart.VariantData), MemberType = typeof(Chart))]
    public void Variant_RendersOnlyObjectsKubernetesAccepts(string variant)
    {
        RenderResult result = Chart.RenderVariant(variant);

        Assert.NotEmpty(result.Manifests);
        Assert.Empty(Chart.Problems(result));
    }

    [Theory]
    [MemberData(nameof(Chart.VariantData), MemberType = typeof(Chart))]
    public void Variant_NamesEveryObjectOnce(string variant)
    {
        RenderResult result = Chart.RenderVariant(variant);

        var duplicates = result.Manifests.GroupBy(m => (m.Kind, m.Name, Namespace: (string?)m.Object["metadata"]?["namespace"]))
            .Where(g => g.Count() > 1).Select(g => g.Key.ToString());
        Assert.Empty(duplicates);
    }

    public static TheoryData<string, string[]> ExpectedKinds => new()
    {
        { "default", ["ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Pod"] },
        { "external-rabbitmq", ["Secret"] },
        { "rabbitmq-operator", ["RabbitmqCluster"] },
        { "monitoring", ["ServiceMonitor", "PrometheusRule"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedKinds))]
    public void Variant_RendersItsKinds(string variant, string[] kinds)
    {
        RenderResult result = Chart.RenderVariant(variant);

        Assert.Empty(kinds.Except(result.Manifests.Select(m => m.Kind)));
    }

    [Fact]
    public void Defaults_CreateNeitherBrokerNorSecret_AndReadTheUrlFromTheNamedSecret()
    {
        RenderResult result = Chart.Render();

        Assert.DoesNotContain(result.Manifests, m => m.Kind is "Secret" or "RabbitmqCluster" or "ServiceMonitor" or "PrometheusRule");
        foreach (RenderedManifest deployment in result.OfKind("Deployment"))
        {
            V1EnvVar url = Env(deployment).Single(e => e.Name == "Bus__RabbitMq__Url");
            Assert.Equal("lookout-rabbitmq", url.ValueFrom.SecretKeyRef.Name);
            Assert.Equal("url", url.ValueFrom.SecretKeyRef.Key);
            Assert.Null(url.Value);
        }
    }

    [Fact]
    public void ExternalRabbitMq_StoresTheUrlInASecret_NeverInTheConfigMap()
    {
        RenderResult result = Chart.RenderVariant("external-rabbitmq");

        V1Secret secret = ManifestValidator.As<V1Secret>(result.Single("Secret", "lookout-rabbitmq"));
        Assert.Equal("amqp://lookout:change-me@rabbitmq.messaging.svc:5672/lookout", secret.StringData["url"]);
        Assert.DoesNotContain("change-me", result.Single("ConfigMap", "lookout-config").Text, StringComparison.Ordinal);
        Assert.All(result.OfKind("Deployment"), d => Assert.Equal("lookout-rabbitmq", Env(d).Single(e => e.Name == "Bus__RabbitMq__Url").ValueFrom.SecretKeyRef.Name));
    }

    [Fact]
    public void RabbitMqOperator_CreatesTheCluster_AndReadsTheOperatorsCredentials()
    {
        RenderResult result = Chart.RenderVariant("rabbitmq-operator");

        JsonObject cluster = result.Single("RabbitmqCluster", "lookout-rabbitmq").Object;
        Assert.Equal(3L, (long)cluster["spec"]!["replicas"]!);
        Assert.Equal("20Gi", (string?)cluster["spec"]!["persistence"]!["storage"]);
        Assert.Contains("vm_memory_high_watermark.relative = 0.8", (string?)cluster["spec"]!["rabbitmq"]!["additionalConfig"], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Manifests, m => m.Kind == "Secret");
        foreach (RenderedManifest deployment in result.OfKind("Deployment"))
        {
            IList<V1EnvVar> env = Env(deployment);
            Assert.Equal("amqp://lookout-rabbitmq.argocd.svc:5672/", env.Single(e => e.Name == "Bus__RabbitMq__Url").Value);
            Assert.Equal(("lookout-rabbitmq-default-user", "username"), Ref(env, "Bus__RabbitMq__Username"));
            Assert.Equal(("lookout-rabbitmq-default-user", "password"), Ref(env, "Bus__RabbitMq__Password"));
        }
    }

    [Fact]
    public void HighAvailability_RunsTwoNotifiersSpreadOverNodes_UnderADisruptionBudget()
    {
        RenderResult result = Chart.RenderVariant("ha");

        V1Deployment notifier = ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-notifier"));
        Assert.Equal(2, notifier.Spec.Replicas);
        V1TopologySpreadConstraint spread = Assert.Single(notifier.Spec.Template.Spec.TopologySpreadConstraints);
        Assert.Equal("kubernetes.io/hostname", spread.TopologyKey);
        Assert.Equal(notifier.Spec.Selector.MatchLabels, spread.LabelSelector.MatchLabels);

        V1PodDisruptionBudget budget = ManifestValidator.As<V1PodDisruptionBudget>(result.Single("PodDisruptionBudget", "lookout-notifier"));
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Equal(notifier.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void NotifierData_IsAnEmptyDirByDefault_AndTheConfigNamesIt()
    {
        RenderResult result = Chart.Render();
        V1PodSpec pod = ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-notifier")).Spec.Template.Spec;
        Assert.Equal("/var/lib/lookout/notifier", Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == "data").MountPath);
        Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == "data").EmptyDir);
        Assert.DoesNotContain(result.Manifests, m => m.Kind == "PersistentVolumeClaim");
        Assert.DoesNotContain(ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-watcher")).Spec.Template.Spec.Volumes, v => v.Name == "data");
        JsonNode config = JsonNode.Parse((string)result.Single("ConfigMap", "lookout-config").Object["data"]!["config.json"]!)!;
        Assert.Equal("/var/lib/lookout/notifier", (string?)config["Notifier"]!["DataDirectory"]);
    }

    [Theory]
    [InlineData("", "argocd-repo-server.argocd:8081")] // the tests install in argocd
    [InlineData("argocd: {namespace: gitops}", "argocd-repo-server.gitops:8081")]
    [InlineData("notifier: {repoServer: {address: 'repo:9000'}}", "repo:9000")]
    [InlineData("config: {Notifier: {RepoServer: {Address: 'mine:1'}}}", "mine:1")]
    public void RepoServer_IsArgoCdsByDefault_AndTheUsersWhenGiven(string values, string address)
    {
        RenderResult result = values.Length == 0 ? Chart.Render() : Chart.Render(values);
        JsonNode config = JsonNode.Parse((string)result.Single("ConfigMap", "lookout-config").Object["data"]!["config.json"]!)!;
        Assert.Equal(address, (string?)config["Notifier"]!["RepoServer"]!["Address"]);
    }

    [Fact]
    public void RepoServerTls_IsMountedOptionally_WhereArgoCdsControllersReadIt()
    {
        V1PodSpec pod = ManifestValidator.As<V1Deployment>(Chart.Render().Single("Deployment", "lookout-notifier")).Spec.Template.Spec;
        Assert.Equal("/app/config/reposerver/tls", Assert.Single(pod.Containers[0].VolumeMounts, m => m.Name == "repo-server-tls").MountPath);
        V1SecretVolumeSource secret = Assert.Single(pod.Volumes, v => v.Name == "repo-server-tls").Secret;
        Assert.Equal(("argocd-repo-server-tls", true), (secret.SecretName, secret.Optional));
        V1PodSpec without = ManifestValidator.As<V1Deployment>(Chart.Render("notifier: {repoServer: {tlsSecret: ''}}").Single("Deployment", "lookout-notifier")).Spec.Template.Spec;
        Assert.DoesNotContain(without.Volumes, v => v.Name == "repo-server-tls");
    }

    [Theory]
    [InlineData("notifier: {persistence: {enabled: true, size: 2Gi, storageClass: fast}}", "lookout-notifier-data", true)]
    [InlineData("notifier: {persistence: {enabled: true, existingClaim: mine}}", "mine", false)]
    public void NotifierPersistence_ClaimsAVolume_AndReplacesThePod(string values, string claim, bool created)
    {
        RenderResult result = Chart.Render(values);
        Assert.Empty(Chart.Problems(result));
        V1Deployment notifier = ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-notifier"));
        Assert.Equal("Recreate", notifier.Spec.Strategy.Type);
        Assert.Equal(claim, Assert.Single(notifier.Spec.Template.Spec.Volumes, v => v.Name == "data").PersistentVolumeClaim.ClaimName);
        if (created)
        {
            V1PersistentVolumeClaim pvc = ManifestValidator.As<V1PersistentVolumeClaim>(result.Single("PersistentVolumeClaim", claim));
            Assert.Equal(["ReadWriteOnce"], pvc.Spec.AccessModes);
            Assert.Equal("fast", pvc.Spec.StorageClassName);
            Assert.Equal("2Gi", pvc.Spec.Resources.Requests["storage"].ToString());
        }
        else
        {
            Assert.DoesNotContain(result.Manifests, m => m.Kind == "PersistentVolumeClaim");
        }
    }

    [Fact]
    public void SingleReplica_HasNoSpreadConstraint()
    {
        V1Deployment analyzer = ManifestValidator.As<V1Deployment>(Chart.Render().Single("Deployment", "lookout-analyzer"));

        Assert.Equal(1, analyzer.Spec.Replicas);
        Assert.Null(analyzer.Spec.Template.Spec.TopologySpreadConstraints);
    }

    [Fact]
    public void ConfigJson_CarriesTheServiceSettings_AndChangesThePodsChecksum()
    {
        RenderResult before = Chart.Render();
        RenderResult after = Chart.Render("config: {Publisher: {BufferCapacity: 500}}");

        JsonNode config = JsonNode.Parse((string)before.Single("ConfigMap", "lookout-config").Object["data"]!["config.json"]!)!;
        Assert.Equal("0.0.0.0", (string?)config["Service"]!["Address"]);
        Assert.Equal(8080L, (long)config["Service"]!["Port"]!);
        Assert.Equal("lookout-watcher", (string?)config["Watcher"]!["LeaderElection"]!["LeaseName"]);
        Assert.Equal("argocd-notifications-cm", (string?)config["Notifier"]!["ConfigMapName"]);
        Assert.Equal("argocd", (string?)config["Notifier"]!["Namespace"]);
        Assert.NotEqual(Checksum(before), Checksum(after));
    }

    [Fact]
    public void ReleaseName_ContainingTheChartName_IsNotRepeated()
    {
        RenderResult result = Chart.Renderer.Render(new ReleaseOptions { Name = "prod", Namespace = "ops" });

        Assert.Contains(result.Manifests, m => m.Name == "prod-lookout-watcher");
        Assert.All(result.Manifests.Where(m => m.Object["metadata"]?["namespace"] is not null), m => Assert.Equal("ops", (string?)m.Object["metadata"]!["namespace"]));
    }

    [Theory]
    [InlineData("v1.24.9", false)]
    [InlineData("v1.25.0", true)]
    [InlineData("v1.33.4-gke.1245000", true)]
    public void KubeVersion_BelowTheChartsMinimum_IsRefused(string kubeVersion, bool accepted)
    {
        RenderResult Render() => Chart.Renderer.Render(new ReleaseOptions { KubeVersion = kubeVersion });

        if (accepted)
        {
            Assert.NotEmpty(Render().Manifests);
        }
        else
        {
            Assert.Contains("chart requires kubeVersion: >=1.25.0-0", Assert.Throws<ChartRenderException>(Render).Message, StringComparison.Ordinal);
        }
    }

    internal static IList<V1EnvVar> Env(RenderedManifest deployment) =>
        ManifestValidator.As<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single().Env;

    private static (string, string) Ref(IList<V1EnvVar> env, string name)
    {
        V1SecretKeySelector selector = env.Single(e => e.Name == name).ValueFrom.SecretKeyRef;
        return (selector.Name, selector.Key);
    }

    private static string Checksum(RenderResult result) =>
        ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-watcher")).Spec.Template.Metadata.Annotations["checksum/config"];
}
