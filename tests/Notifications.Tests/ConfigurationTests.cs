using Lookout.Notifications.Configuration;
using Lookout.Notifications.Scope;
using Lookout.Notifications.Services.Webhook;
using Lookout.Notifications.State;

namespace Lookout.Notifications.Tests;

/// <summary>argocd-notifications-cm and argocd-notifications-secret as notifications-engine reads them, one bad entry at a time.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void BrokenTrigger_DisablesOnlyItself_AndSaysWhereAndWhy()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            ["trigger.broken"] = "- when: app.status.sync.status ==\n  send: [app-deployed]\n",
            ["trigger.good"] = "- when: app.status.sync.status == 'Synced'\n  send: [app-deployed]\n",
        });
        ConfigProblem problem = Assert.Single(config.Problems);
        Assert.Equal("trigger.broken", problem.Key);
        Assert.True(problem.Disabled);
        Assert.Contains("trigger.broken [0].when", problem.Message, StringComparison.Ordinal);
        Assert.Matches("line 1|1:", problem.Message);
        Assert.DoesNotContain("broken", config.Triggers.TriggerNames);
        Assert.Contains("good", config.Triggers.TriggerNames);
        Assert.Contains("on-deployed", config.Triggers.TriggerNames);
    }

    [Theory]
    [InlineData("trigger.bad-yaml", "- when: [unclosed\n", "invalid YAML")]
    [InlineData("trigger.not-a-list", "when: true\n", "a trigger is a list of conditions")]
    [InlineData("template.bad", "message: '{{ .app.metadata.name '\n", "template.bad message")]
    [InlineData("template.bad-slack", "slack:\n  attachments: '{{ if }}'\n", "template.bad-slack slack.attachments")]
    [InlineData("service.unknown-type", "url: x\n", "service type 'unknown-type' is not supported")]
    [InlineData("service.webhook.bad", "url: not a url\n", "setting 'url' must be an absolute URL")]
    [InlineData("service.a.b.c", "x: y\n", "invalid service key")]
    [InlineData("subscriptions", "- recipients: [slack]\n  selector: 'a in b'\n", "subscription [0]")]
    [InlineData("defaultTriggers", "on-deployed\n", "expected a list of trigger names")]
    public void BadEntry_IsReportedWithItsKey_AndDisabled(string key, string value, string expected)
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            [key] = value,
            ["trigger.other"] = "- when: 'true'\n  send: [app-created]\n",
        });
        ConfigProblem problem = Assert.Single(config.Problems, p => p.Key == key);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Contains("other", config.Triggers.TriggerNames);
    }

    [Fact]
    public void ConfigMapEntries_OverrideTheCatalog_KeyByKey()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            ["template.app-deployed"] = "message: mine\n",
        });
        Assert.Equal(8, config.Triggers.TriggerNames.Count);
        Assert.Equal("mine", config.Templates.Format(new Dictionary<string, object?>(), ["app-deployed"]).Message);
        Assert.Null(config.Templates.Format(new Dictionary<string, object?>(), ["app-deployed"]).Section("slack"));
        Assert.Contains("app-created", config.Templates.TemplateNames);
    }

    [Fact]
    public void SecretReferences_AreReplacedInServiceSettings_AndMissingOnesAreWarnedWithoutValues()
    {
        NotificationConfig config = TestConfigs.Parse(
            new Dictionary<string, string>
            {
                ["service.webhook.github"] = "url: https://api.github.com\nheaders:\n- name: Authorization\n  value: token $github-token\nbasicAuth:\n  username: $user\n  password: $missing\n",
            },
            new Dictionary<string, string> { ["github-token"] = "s3cr3t-value", ["user"] = "bot" });
        ConfigService service = config.Services["github"];
        Assert.Equal("webhook", service.Type);
        Assert.IsType<WebhookService>(service.Service);
        Assert.Equal("token s3cr3t-value", (string?)service.Settings["headers"]![0]!["value"]);
        Assert.Equal("bot", (string?)service.Settings["basicAuth"]!["username"]);
        ConfigProblem warning = Assert.Single(config.Problems);
        Assert.False(warning.Disabled);
        Assert.Contains("$missing", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceKeys_NameServicesAsUpstream()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            ["service.slack"] = "token: xoxb-1\n",
            ["service.webhook.ops"] = "url: http://127.0.0.1:1/\n",
            ["service.email.gmail"] = "host: smtp.example.com\nport: 465\nfrom: a@example.com\n",
        });
        Assert.Empty(config.Problems);
        Assert.Equal(["gmail", "ops", "slack"], config.Services.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("email", config.Services["gmail"].Type);
    }

    [Fact]
    public void Context_IsInTheTemplateScope()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string>
        {
            ["context"] = "argocdUrl: https://argocd.example.com\n",
            ["template.t"] = "message: '{{.context.argocdUrl}}/applications/{{.app.metadata.name}} via {{.context.notificationType}}'\n",
        });
        var scope = NotificationScopes.ForTemplate("Application", TestConfigs.Object("metadata: {name: guestbook}"), null, config, new Destination("slack", "c"), TimeProvider.System);
        Assert.Equal("https://argocd.example.com/applications/guestbook via slack", config.Templates.Format(scope, ["t"]).Message);
    }

    [Fact]
    public void TriggerSendingAnUndefinedTemplate_IsAWarning()
    {
        NotificationConfig config = TestConfigs.Parse(new Dictionary<string, string> { ["trigger.t"] = "- when: 'true'\n  send: [nope]\n" });
        ConfigProblem problem = Assert.Single(config.Problems);
        Assert.False(problem.Disabled);
        Assert.Contains("t", config.Triggers.TriggerNames);
    }

    [Fact]
    public void ManifestFile_ReadsConfigMapAndSecret_FromOneFile()
    {
        ConfigMapData data = ConfigMapData.FromYaml(File.ReadAllText(TestConfigs.DataFile("notifications.yaml")), "notifications.yaml");
        Assert.Equal("argocd-notifications-cm", data.Name);
        Assert.Equal("argocd", data.Namespace);
        Assert.Equal("https://hooks.slack.com/services/T00/B00/XXX", data.Secrets["slack-token"]);
        NotificationConfig config = TestConfigs.Parse(data.Data, data.Secrets);
        Assert.Empty(config.Problems);
        Assert.Equal("https://hooks.slack.com/services/T00/B00/XXX", (string?)config.Services["slack"].Settings["token"]);
    }

    [Fact]
    public void NotifiedAnnotation_KeyIsUpstreams() => Assert.Equal("notified.notifications.argoproj.io", NotifiedState.AnnotationKey);
}
