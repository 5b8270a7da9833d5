using System.Text.Json.Nodes;
using k8s;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Lookout.Notifications.State;
using Lookout.Notifier;
using Lookout.Notifier.Configuration;
using Lookout.Notifier.State;
using Lookout.Testing.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lookout.Notifications.Tests;

/// <summary>The ConfigMap, the Secret and the state annotation through the project's fake Kubernetes API.</summary>
public sealed class KubernetesTests : IAsyncLifetime, IDisposable
{
    private FakeKubernetesApiServer api = null!;
    private k8s.Kubernetes client = null!;

    public async Task InitializeAsync()
    {
        api = await FakeKubernetesApiServer.StartAsync();
        client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.BaseAddress.ToString().TrimEnd('/') });
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task ConfigMapChange_IsPickedUpWithoutRestart_AndABadEntryBecomesAnEventOnTheConfigMap()
    {
        api.Upsert("configmaps", ConfigMap(new JsonObject { ["trigger.mine"] = "- when: 'true'\n  send: [app-created]\n" }));
        api.Upsert("secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-secret", ["namespace"] = "argocd" },
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("xoxb-from-secret"u8.ToArray()) },
        });
        NotificationConfigProvider provider = Provider();
        Assert.True(await provider.ReloadAsync(CancellationToken.None));
        NotificationConfig first = await provider.GetAsync(CancellationToken.None);
        Assert.Contains("mine", first.Triggers.TriggerNames);
        Assert.False(await provider.ReloadAsync(CancellationToken.None));

        api.Upsert("configmaps", ConfigMap(new JsonObject
        {
            ["trigger.mine"] = "- when: 'true'\n  send: [app-created]\n",
            ["trigger.second"] = "- when: app.status ==\n",
            ["service.slack"] = "token: $token\n",
        }));
        Assert.True(await provider.ReloadAsync(CancellationToken.None));
        NotificationConfig second = await provider.GetAsync(CancellationToken.None);
        Assert.Equal("xoxb-from-secret", (string?)second.Services["slack"].Settings["token"]);
        Assert.Equal("trigger.second", Assert.Single(second.Problems).Key);
        Assert.Contains("mine", second.Triggers.TriggerNames);
        Assert.Contains("mine", first.Triggers.TriggerNames);
        Assert.True(api.RequestCount("create", "events") >= 1);
    }

    [Fact]
    public async Task State_IsPatchedIntoTheAnnotation_WithOptimisticConcurrency()
    {
        string rv = api.Upsert("applications", new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject { ["name"] = "guestbook", ["namespace"] = "argocd" },
        });
        string uid = (string)api.Get("applications", "argocd", "guestbook")!["metadata"]!["uid"]!;
        var owner = new StateOwner("Application", "argocd", "guestbook", uid);
        var store = new KubernetesStateStore(client);
        var state = NotifiedState.Empty();
        state.Set("on-deployed:[0].k:slack:c", 1_700_000_000);

        // Someone else changes the object first: the patch at the old resourceVersion conflicts, is re-read and merged.
        api.Upsert("applications", new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["name"] = "guestbook",
                ["namespace"] = "argocd",
                ["uid"] = uid,
                ["annotations"] = new JsonObject { [NotifiedState.AnnotationKey] = "{\"on-created:[0].k:slack:c\":1600000000}" },
            },
        });
        await store.SaveAsync(owner, state, rv, CancellationToken.None);

        JsonObject app = api.Get("applications", "argocd", "guestbook")!;
        string annotation = (string)app["metadata"]!["annotations"]![NotifiedState.AnnotationKey]!;
        Assert.Equal("{\"on-created:[0].k:slack:c\":1600000000,\"on-deployed:[0].k:slack:c\":1700000000}", annotation);
        Assert.Contains(api.Patches, p => p.Plural == "applications" && p.Body.Contains("resourceVersion", StringComparison.Ordinal));

        // The write's own echo is recognised; an event older than the write is read against the written state.
        string written = (string)app["metadata"]!["resourceVersion"]!;
        Assert.True(store.IsOwnWrite(owner, written));
        Assert.Equal(2, store.Load(owner, annotationInEvent: null, resourceVersion: rv).Entries.Count);
    }

    [Fact]
    public async Task TriggerOverItsBudget_FailsForItselfOnly_AndBecomesOneEventOnTheObject()
    {
        string dir = Directory.CreateTempSubdirectory("lookout-problems-").FullName;
        try
        {
            string configPath = Path.Combine(dir, "cm.yaml");
            await File.WriteAllTextAsync(configPath, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: argocd-notifications-cm, namespace: argocd}
                data:
                  service.webhook.hook: |
                    url: http://127.0.0.1:9/
                  trigger.hostile: |
                    - when: 'len(reduce(1..40, #acc + #acc, app.metadata.name)) > 0'
                      send: [app-created]
                  trigger.fine: |
                    - when: 'true'
                      send: [app-created]
                """);
            var options = new NotifierOptions { ConfigPath = configPath };
            var provider = new NotificationConfigProvider(new FileConfigSource(configPath, null), ServiceTypes.BuiltIn(), TestConfigs.Services(), options, NullLogger<NotificationConfigProvider>.Instance);
            Assert.True(await provider.ReloadAsync(CancellationToken.None));
            var notifier = new Lookout.Notifier.Evaluation.ObjectNotifier(
                provider, new FileStateStore(null), new Lookout.Notifier.Evaluation.NoProjects(), new Repo.RepoHelpers(null, new Repo.RepoServerSettings(), TimeProvider.System),
                TimeProvider.System, NullLogger<Lookout.Notifier.Evaluation.ObjectNotifier>.Instance,
                problems: new Lookout.Notifier.Evaluation.KubernetesObjectProblems(client, TimeProvider.System));
            var identity = new Lookout.Contracts.ObjectIdentity("in-cluster", "argocd", "guestbook", "uid-1");
            System.Text.Json.JsonElement body = System.Text.Json.JsonSerializer.SerializeToElement(new
            {
                apiVersion = "argoproj.io/v1alpha1",
                kind = "Application",
                metadata = new
                {
                    name = "guestbook",
                    @namespace = "argocd",
                    uid = "uid-1",
                    annotations = new Dictionary<string, string>
                    {
                        ["notifications.argoproj.io/subscribe.hostile.hook"] = string.Empty,
                        ["notifications.argoproj.io/subscribe.fine.hook"] = string.Empty,
                    },
                },
            });
            var sent = new List<Lookout.Contracts.NotificationRequested>();
            Task Publish(Lookout.Contracts.NotificationRequested m, CancellationToken _)
            {
                sent.Add(m);
                return Task.CompletedTask;
            }

            await notifier.HandleAsync("Application", identity, "5", DateTimeOffset.UtcNow, body, Publish, CancellationToken.None);
            await notifier.HandleAsync("Application", identity, "6", DateTimeOffset.UtcNow, body, Publish, CancellationToken.None);

            // The fine trigger sent; the hostile one failed on both versions and was told once, on the Application.
            Assert.Equal("fine", Assert.Single(sent).Trigger);
            k8s.Models.Corev1EventList events = await client.CoreV1.ListNamespacedEventAsync("argocd");
            k8s.Models.Corev1Event e = Assert.Single(events.Items);
            Assert.Equal(("Application", "guestbook", "uid-1"), (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid));
            Assert.Equal(("Warning", "NotificationError"), (e.Type, e.Reason));
            Assert.Contains("trigger hostile", e.Message, StringComparison.Ordinal);
            Assert.True(e.Message.Contains("budget exceeded", StringComparison.Ordinal), e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task State_AfterARestart_IsTheObjectsAnnotation_NotAnOlderEventsOne()
    {
        // A notifier patched the state and died; its successor (or the other replica) gets an event published before
        // that patch, without the entry: it evaluates against the object's annotation, so the notification is not repeated.
        string rv = api.Upsert("applications", new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject { ["name"] = "guestbook", ["namespace"] = "argocd" },
        });
        string uid = (string)api.Get("applications", "argocd", "guestbook")!["metadata"]!["uid"]!;
        var owner = new StateOwner("Application", "argocd", "guestbook", uid);
        var state = NotifiedState.Empty();
        state.Set("on-deployed:[0].k:slack:c", 1_700_000_000);
        await new KubernetesStateStore(client).SaveAsync(owner, state, rv, CancellationToken.None);

        INotifiedStateStore restarted = new KubernetesStateStore(client);
        NotifiedState loaded = await restarted.LoadAsync(owner, annotationInEvent: null, resourceVersion: rv, CancellationToken.None);
        Assert.Equal(["on-deployed:[0].k:slack:c"], loaded.Entries.Keys);

        // Another object of the same name (a new uid) keeps the event's annotation.
        NotifiedState other = await ((INotifiedStateStore)new KubernetesStateStore(client)).LoadAsync(owner with { Uid = "uid-recreated" }, "{\"on-created:[0].k:slack:c\":1}", rv, CancellationToken.None);
        Assert.Equal(["on-created:[0].k:slack:c"], other.Entries.Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SelfService_TheConfigMapInTheApplicationsNamespace_NotifiesToo_WithTheNamespaceInItsStateKeys(bool enabled)
    {
        api.Upsert("configmaps", ConfigMap(new JsonObject
        {
            ["service.slack"] = "token: xoxb-controller\n",
            ["trigger.on-healthy"] = "- when: app.status.health.status == 'Healthy'\n  send: [healthy]\n",
            ["template.healthy"] = "message: 'controller: {{.app.metadata.name}} {{.secrets.token}}'\n",
        }));
        api.Upsert("secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-secret", ["namespace"] = "argocd" },
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("xoxb-controller"u8.ToArray()) },
        });
        JsonObject local = ConfigMap(new JsonObject
        {
            ["service.slack.team"] = "token: $token\n",
            ["trigger.on-healthy"] = "- when: app.status.health.status == 'Healthy'\n  send: [healthy]\n",
            ["template.healthy"] = "message: 'team: {{.app.metadata.name}}'\n",
        });
        local["metadata"]!["namespace"] = "team-a";
        api.Upsert("configmaps", local);
        api.Upsert("secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-secret", ["namespace"] = "team-a" },
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("xoxb-team"u8.ToArray()) },
        });
        var options = new NotifierOptions { ApiServer = api.BaseAddress.ToString(), SelfServiceNotificationEnabled = enabled };
        NotificationConfigProvider provider = Provider(options);
        await provider.ReloadAsync(CancellationToken.None);
        var selfService = new SelfServiceConfigs(new ClusterClient(client), options, ServiceTypes.BuiltIn(), TestConfigs.Services(), TimeProvider.System, NullLogger<SelfServiceConfigs>.Instance);
        var states = new FileStateStore(null);
        var notifier = new Lookout.Notifier.Evaluation.ObjectNotifier(
            provider, states, new Lookout.Notifier.Evaluation.NoProjects(), new Notifications.Repo.RepoHelpers(null, new Notifications.Repo.RepoServerSettings(), TimeProvider.System),
            TimeProvider.System, NullLogger<Lookout.Notifier.Evaluation.ObjectNotifier>.Instance, selfService: selfService);
        var sent = new List<Contracts.NotificationRequested>();
        var app = System.Text.Json.JsonDocument.Parse("""
            {"kind": "Application", "metadata": {"name": "shop", "namespace": "team-a", "uid": "uid-shop", "resourceVersion": "7",
              "annotations": {"notifications.argoproj.io/subscribe.on-healthy.slack": "ops", "notifications.argoproj.io/subscribe.on-healthy.team": "dev"}},
             "status": {"health": {"status": "Healthy"}}}
            """).RootElement;

        await notifier.HandleAsync("Application", new Contracts.ObjectIdentity("c", "team-a", "shop", "uid-shop"), "7", DateTimeOffset.UtcNow, app, (n, _) => { sent.Add(n); return Task.CompletedTask; }, CancellationToken.None);

        // Self-service: each configuration sends through its own services; Argo CD then hides secrets from templates.
        // Without it, the team's service is unknown and its notification fails at delivery, as upstream's does.
        string[] expected = enabled
            ? ["slack:ops  controller: shop <no value>", "team:dev team-a team: shop"]
            : ["slack:ops  controller: shop xoxb-controller", "team:dev  controller: shop xoxb-controller"];
        Assert.Equal(expected, sent.Select(n => $"{n.Service}:{n.Recipient} {n.ConfigNamespace} {n.Notification.GetProperty("message").GetString()}").Order(StringComparer.Ordinal));
        Assert.Equal(sent.Count, sent.Select(n => n.Id).Distinct().Count());
        NotifiedState state = states.Load(new StateOwner("Application", "team-a", "shop", "uid-shop"), null, "7");
        Assert.Equal(enabled ? 1 : 0, state.Entries.Keys.Count(k => k.StartsWith("team-a:on-healthy:", StringComparison.Ordinal)));
        Assert.Equal(enabled ? 1 : 2, state.Entries.Keys.Count(k => k.StartsWith("on-healthy:", StringComparison.Ordinal)));
    }

    private NotificationConfigProvider Provider(NotifierOptions? options = null)
    {
        options ??= new NotifierOptions { ApiServer = api.BaseAddress.ToString() };
        var services = new ServiceContext { HttpClients = _ => new HttpClient(), Logs = NullLoggerFactory.Instance, SlackThreads = new Notifications.Services.Slack.FileSlackThreadStore(null) };
        return new NotificationConfigProvider(new KubernetesConfigSource(client, options, TimeProvider.System), ServiceTypes.BuiltIn(), services, options, NullLogger<NotificationConfigProvider>.Instance);
    }

    private static JsonObject ConfigMap(JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "argocd-notifications-cm", ["namespace"] = "argocd" },
        ["data"] = data,
    };
}
