using k8s.Models;
using Lookout.Helm.Tests.Rendering;
using Lookout.Helm.Tests.Validation;

namespace Lookout.Helm.Tests;

/// <summary>One ServiceAccount per service, bound to exactly the rules it needs and no more.</summary>
public sealed class RbacTests
{
    public static TheoryData<string, string, string[]> ExactRules => new()
    {
        {
            "ClusterRole", "lookout-watcher",
            [
                "argoproj.io | applications | * | list,watch",
                "argoproj.io | rollouts | * | get,list,watch,patch",
                "argoproj.io | rollouts/status | * | patch",
                " | events | * | create,list,watch",
                "argoproj.io | analysisruns | * | get,list",
            ]
        },
        {
            "Role", "lookout-watcher-leases",
            [
                "coordination.k8s.io | leases | * | create",
                "coordination.k8s.io | leases | lookout-watcher | get,update",
                " | configmaps | * | create",
                " | configmaps | lookout-watcher-state | get,update",
            ]
        },
        {
            "ClusterRole", "lookout-notifier",
            [
                "argoproj.io | applications,rollouts | * | patch",
                "argoproj.io | appprojects | * | get",
                " | events | * | create",
            ]
        },
        {
            "Role", "lookout-notifier-config",
            [
                " | configmaps | argocd-notifications-cm | get,list,watch",
                " | secrets | argocd-notifications-secret | get,list,watch",
            ]
        },
        {
            "Role", "lookout-notifier-rollouts-config",
            [
                " | configmaps | argo-rollouts-notification-configmap | get,list,watch",
                " | secrets | argo-rollouts-notification-secret | get,list,watch",
            ]
        },
        {
            "ClusterRole", "lookout-analyzer",
            [
                "argoproj.io | analysistemplates,clusteranalysistemplates | * | get,list,watch",
                "argoproj.io | rollouts | * | list",
                " | events | * | create",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(ExactRules))]
    public void Defaults_GrantExactlyTheseRules(string kind, string name, string[] expected)
    {
        Assert.Equal(expected, Rules(Chart.Render().Single(kind, name)));
    }

    [Fact]
    public void AnalyzerSecretNames_GrantGetOnThoseSecretsOnly()
    {
        RenderResult result = Chart.RenderVariant("analyzer-secrets");

        Assert.Equal(
            [
                "argoproj.io | analysistemplates,clusteranalysistemplates | * | get,list,watch",
                "argoproj.io | rollouts | * | list",
                " | secrets | prometheus-token,datadog-api | get",
                " | events | * | create",
            ],
            Rules(result.Single("ClusterRole", "lookout-analyzer")));
    }

    [Fact]
    public void WatchedNamespaces_TurnTheObjectRulesIntoRolesInEachOfThem()
    {
        RenderResult result = Chart.RenderVariant("namespaced");

        Assert.DoesNotContain(result.Manifests, m => m.Kind is "ClusterRole" or "ClusterRoleBinding" && m.Name is "lookout-watcher" or "lookout-notifier");
        foreach (string ns in new[] { "team-frontend", "team-backend" })
        {
            RenderedManifest Namespaced(string kind, string name) =>
                result.Manifests.Single(m => m.Kind == kind && m.Name == name && (string?)m.Object["metadata"]!["namespace"] == ns);

            Assert.Equal(
                ["argoproj.io | applications | * | list,watch", "argoproj.io | rollouts | * | get,list,watch,patch", "argoproj.io | rollouts/status | * | patch", " | events | * | create,list,watch", "argoproj.io | analysisruns | * | get,list"],
                Rules(Namespaced("Role", "lookout-watcher")));
            Assert.Equal(["argoproj.io | applications,rollouts | * | patch", " | events | * | create"], Rules(Namespaced("Role", "lookout-notifier")));
            V1RoleBinding binding = ManifestValidator.As<V1RoleBinding>(Namespaced("RoleBinding", "lookout-watcher"));
            Assert.Equal(("Role", "lookout-watcher", "lookout-watcher", "argocd"), (binding.RoleRef.Kind, binding.RoleRef.Name, binding.Subjects.Single().Name, binding.Subjects.Single().NamespaceProperty));
        }

        Assert.Contains("argoproj.io | appprojects | * | get", Rules(result.Single("Role", "lookout-notifier-config")));
    }

    [Fact]
    public void SelfServiceNotifications_LetTheNotifierReadTheNamedConfigMapsAndSecretsInEveryNamespace()
    {
        RenderResult result = Chart.Render("config: {Notifier: {SelfServiceNotificationEnabled: true}}");

        Assert.Equal(
            [
                "argoproj.io | applications,rollouts | * | patch",
                "argoproj.io | appprojects | * | get",
                " | events | * | create",
                " | configmaps | argocd-notifications-cm,argo-rollouts-notification-configmap | get",
                " | secrets | argocd-notifications-secret,argo-rollouts-notification-secret | get",
            ],
            Rules(result.Single("ClusterRole", "lookout-notifier")));
    }

    [Fact]
    public void NoRule_GrantsEverySecret()
    {
        foreach (string variant in Chart.Variants)
        {
            RenderResult result = Chart.RenderVariant(variant);
            foreach (RenderedManifest role in result.Manifests.Where(m => m.Kind is "Role" or "ClusterRole"))
            {
                Assert.DoesNotContain(Rules(role), r => r.Contains("secrets | * |", StringComparison.Ordinal) || r.Contains("| * | * |", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void NotifierConfigRole_LivesInArgoCdsNamespace()
    {
        RenderResult result = Chart.RenderVariant("analyzer-secrets");

        Assert.Equal("argo", ManifestValidator.As<V1Role>(result.Single("Role", "lookout-notifier-config")).Metadata.NamespaceProperty);
        V1RoleBinding binding = ManifestValidator.As<V1RoleBinding>(result.Single("RoleBinding", "lookout-notifier-config"));
        Assert.Equal("argo", binding.Metadata.NamespaceProperty);
        Assert.Equal(("lookout-notifier", "argocd"), (binding.Subjects.Single().Name, binding.Subjects.Single().NamespaceProperty));
    }

    [Fact]
    public void EachService_RunsAsItsOwnAccount_BoundToItsOwnRoles()
    {
        RenderResult result = Chart.Render();
        string[] services = ["watcher", "notifier", "analyzer"];

        Assert.Equal(services.Select(s => $"lookout-{s}"), result.OfKind("ServiceAccount").Select(m => m.Name));
        foreach (string service in services)
        {
            V1Deployment deployment = ManifestValidator.As<V1Deployment>(result.Single("Deployment", $"lookout-{service}"));
            Assert.Equal($"lookout-{service}", deployment.Spec.Template.Spec.ServiceAccountName);
        }

        foreach (RenderedManifest m in result.Manifests.Where(m => m.Kind is "RoleBinding" or "ClusterRoleBinding"))
        {
            (string roleName, string subject) = m.Kind == "RoleBinding"
                ? (ManifestValidator.As<V1RoleBinding>(m).RoleRef.Name, ManifestValidator.As<V1RoleBinding>(m).Subjects.Single().Name)
                : (ManifestValidator.As<V1ClusterRoleBinding>(m).RoleRef.Name, ManifestValidator.As<V1ClusterRoleBinding>(m).Subjects.Single().Name);
            string service = services.Single(s => roleName.StartsWith($"lookout-{s}", StringComparison.Ordinal));
            Assert.Equal($"lookout-{service}", subject);
            Assert.Equal(roleName, m.Name);
        }
    }

    [Fact]
    public void RbacAndAccountsOff_RenderNeither()
    {
        RenderResult result = Chart.Render("rbac: {create: false}\nserviceAccount: {create: false}\nwatcher: {serviceAccountName: existing-watcher}");

        Assert.DoesNotContain(result.Manifests, m => m.Kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding" or "ServiceAccount");
        Assert.Equal("existing-watcher", ManifestValidator.As<V1Deployment>(result.Single("Deployment", "lookout-watcher")).Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void RepositorySecrets_AreListedOnlyWhenAsked()
    {
        Assert.Equal(
            [
                " | configmaps | argocd-notifications-cm | get,list,watch",
                " | secrets | argocd-notifications-secret | get,list,watch",
                " | secrets | * | list",
            ],
            Rules(Chart.Render("notifier: {repoServer: {readRepositorySecrets: true}}").Single("Role", "lookout-notifier-config")));
    }

    private static string[] Rules(RenderedManifest role)
    {
        IList<V1PolicyRule> rules = role.Kind == "Role" ? ManifestValidator.As<V1Role>(role).Rules : ManifestValidator.As<V1ClusterRole>(role).Rules;
        return [.. rules.Select(r => $"{string.Join(',', r.ApiGroups)} | {string.Join(',', r.Resources)} | {(r.ResourceNames is { Count: > 0 } ? string.Join(',', r.ResourceNames) : "*")} | {string.Join(',', r.Verbs)}")];
    }
}
