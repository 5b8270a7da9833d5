using System.Text.Json.Nodes;
using Lookout.Notifications;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Scope;
using Lookout.Notifications.Templates;
using Lookout.Notifications.Triggers;
using Lookout.Values;
using Lookout.Values.Yaml;

namespace Lookout.Notifier.Tools;

/// <summary>
/// <c>notifier trigger run &lt;trigger&gt; &lt;object.yaml&gt; [--config cm.yaml] [--secret secret.yaml]</c> and
/// <c>notifier template notify &lt;template&gt; &lt;object.yaml&gt; [service[:recipient]] [--config …]</c>, offline, as
/// <c>argocd admin notifications</c> offers them: a trigger's conditions with their results, or a template rendered.
/// </summary>
public static class TriggerRunCommand
{
    /// <summary><c>trigger run</c>: prints one line per condition, <c>&lt;key&gt;\t&lt;result&gt;[\toncePer=&lt;value&gt;]</c>.</summary>
    public static async Task<int> RunTriggerAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        (NotificationConfig? config, ObjectMap? obj, string? kind, ToolArguments? parsed) = await LoadAsync(args, "usage: notifier trigger run <trigger> <object.yaml> [--config cm.yaml] [--secret secret.yaml] [--repo-answers answers.yaml]", stderr, cancellationToken).ConfigureAwait(false);
        if (config is null || obj is null || parsed is null)
        {
            return 2;
        }

        var errors = new List<string>();
        IReadOnlyList<ConditionResult> results;
        try
        {
            IArgoRepoServer? repo = await ToolArguments.LoadRepoAnswersAsync(parsed, cancellationToken).ConfigureAwait(false);
            results = RunTrigger(config, kind!, obj, parsed.Positional[0], errors, repo);
        }
        catch (KeyNotFoundException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        foreach (ConditionResult r in results)
        {
            await stdout.WriteLineAsync($"{r.Key}\t{(r.Triggered ? "true" : "false")}{(r.OncePer.Length > 0 ? "\toncePer=" + r.OncePer : string.Empty)}").ConfigureAwait(false);
        }

        foreach (string error in errors)
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary><c>template notify</c>: prints the rendered notification as JSON.</summary>
    public static async Task<int> NotifyAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        (NotificationConfig? config, ObjectMap? obj, string? kind, ToolArguments? parsed) = await LoadAsync(args, "usage: notifier template notify <template> <object.yaml> [service[:recipient]] [--config cm.yaml] [--secret secret.yaml] [--repo-answers answers.yaml]", stderr, cancellationToken).ConfigureAwait(false);
        if (config is null || obj is null || parsed is null)
        {
            return 2;
        }

        string[] target = (parsed.Positional.Count > 2 ? parsed.Positional[2] : "console").Split(':', 2);
        var destination = new Destination(target[0], target.Length > 1 ? target[1] : string.Empty);
        try
        {
            IArgoRepoServer? repo = await ToolArguments.LoadRepoAnswersAsync(parsed, cancellationToken).ConfigureAwait(false);
            Notification notification = Notify(config, kind!, obj, parsed.Positional[0], destination, repo);
            await stdout.WriteLineAsync(notification.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ConfigureAwait(false);
            return 0;
        }
        catch (Lookout.Notifications.Templates.NotificationTemplateException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Runs a trigger's conditions on an object; evaluation errors go to <paramref name="errors"/>.</summary>
    /// <exception cref="KeyNotFoundException">No trigger has that name.</exception>
    public static IReadOnlyList<ConditionResult> RunTrigger(NotificationConfig config, string kind, ObjectMap obj, string trigger, ICollection<string> errors, IArgoRepoServer? repo = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Triggers.Run(trigger, NotificationScopes.ForTrigger(kind, obj, null, config, TimeProvider.System, repo), errors);
    }

    /// <summary>Renders a template for an object and a destination.</summary>
    /// <exception cref="Lookout.Notifications.Templates.NotificationTemplateException">The template fails or does not exist.</exception>
    public static Notification Notify(NotificationConfig config, string kind, ObjectMap obj, string template, Destination destination, IArgoRepoServer? repo = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Templates.Format(NotificationScopes.ForTemplate(kind, obj, null, config, destination, TimeProvider.System, repo), [template]);
    }

    /// <summary>Reads an object (YAML or JSON; the first document) and its kind (Application unless it says).</summary>
    /// <exception cref="FormatException">The text holds no object.</exception>
    public static (ObjectMap Object, string Kind) ReadObject(string text, string source)
    {
        IReadOnlyList<JsonNode> documents = YamlDocuments.Parse(text, source);
        JsonNode node = documents.Count > 0 ? documents[0] : throw new FormatException($"{source}: no object");
        ObjectMap obj = ObjectModel.FromJson(node.ToJsonString()) as ObjectMap ?? throw new FormatException($"{source}: not an object");
        return (obj, (string?)node["kind"] ?? "Application");
    }

    private static async Task<(NotificationConfig?, ObjectMap?, string?, ToolArguments?)> LoadAsync(string[] args, string usage, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryParse(args, out ToolArguments? parsed, out string? error) || parsed.Positional.Count < 2)
        {
            await stderr.WriteLineAsync(error ?? usage).ConfigureAwait(false);
            return (null, null, null, null);
        }

        try
        {
            string path = parsed.Positional[1];
            (ObjectMap obj, string kind) = ReadObject(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);

            // A Rollout is tried with Argo Rollouts' configuration (its catalog, --rollouts-config), as the notifier uses it.
            (NotificationConfig argoCd, NotificationConfig rollouts) = await ToolArguments.LoadConfigsAsync(parsed, stderr, cancellationToken).ConfigureAwait(false);
            return (kind == "Rollout" ? rollouts : argoCd, obj, kind, parsed);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return (null, null, null, null);
        }
    }
}
