using System.Diagnostics.CodeAnalysis;
using Lookout.Notifications.Configuration;
using Lookout.Notifications.Repo;
using Lookout.Notifications.Services;

namespace Lookout.Notifier.Tools;

/// <summary>
/// The arguments the offline tools share: <c>--config</c>, <c>--secret</c>, <c>--repo-answers</c> (canned answers of
/// Argo CD's repo server for the <c>repo</c> helpers) and positional arguments.
/// </summary>
public sealed record ToolArguments(
    string? Config, string? Secret, IReadOnlyList<string> Positional, string? RepoAnswers = null, string? RolloutsConfig = null, string? RolloutsSecret = null)
{
    /// <summary>Parses <c>--config X</c>, <c>--config=X</c>, <c>--secret X</c>, <c>--repo-answers X</c> and the rest as positional.</summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out ToolArguments? parsed, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? config = null;
        string? secret = null;
        string? repoAnswers = null;
        string? rolloutsConfig = null;
        string? rolloutsSecret = null;
        var positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value(string flag)
            {
                if (a.StartsWith(flag + "=", StringComparison.Ordinal))
                {
                    return a[(flag.Length + 1)..];
                }

                return i + 1 < args.Length ? args[++i] : null;
            }

            if (a == "--config" || a.StartsWith("--config=", StringComparison.Ordinal))
            {
                config = value("--config");
            }
            else if (a == "--secret" || a.StartsWith("--secret=", StringComparison.Ordinal))
            {
                secret = value("--secret");
            }
            else if (a == "--repo-answers" || a.StartsWith("--repo-answers=", StringComparison.Ordinal))
            {
                repoAnswers = value("--repo-answers");
            }
            else if (a == "--rollouts-config" || a.StartsWith("--rollouts-config=", StringComparison.Ordinal))
            {
                rolloutsConfig = value("--rollouts-config");
            }
            else if (a == "--rollouts-secret" || a.StartsWith("--rollouts-secret=", StringComparison.Ordinal))
            {
                rolloutsSecret = value("--rollouts-secret");
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                parsed = null;
                error = $"unknown option {a}";
                return false;
            }
            else
            {
                positional.Add(a);
            }
        }

        parsed = new ToolArguments(config, secret, positional, repoAnswers, rolloutsConfig, rolloutsSecret);
        error = null;
        return true;
    }

    /// <summary>Reads the configuration (over the built-in catalog), writing each problem to <paramref name="stderr"/>.</summary>
    public static async Task<NotificationConfig> LoadConfigAsync(ToolArguments args, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        ConfigMapData data = args.Config is null
            ? ConfigMapData.Empty()
            : ConfigMapData.FromYaml(
                await File.ReadAllTextAsync(args.Config, cancellationToken).ConfigureAwait(false),
                args.Config,
                args.Secret is null ? null : await File.ReadAllTextAsync(args.Secret, cancellationToken).ConfigureAwait(false),
                args.Secret);
        NotificationConfig config = NotificationConfigParser.Parse(data, ServiceTypes.BuiltIn(), ReplayCommand.OfflineServices(), NotificationConfigParser.Catalog);
        foreach (ConfigProblem problem in config.Problems)
        {
            await stderr.WriteLineAsync($"{problem.Key}: {FirstLine(problem.Message)}{(problem.Disabled ? " (entry disabled)" : " (warning)")}").ConfigureAwait(false);
        }

        return config;
    }

    /// <summary>
    /// Reads Argo CD's and Argo Rollouts' configurations: <c>--rollouts-config</c> is Argo Rollouts' (over its catalog);
    /// a <c>--config</c> that is <c>argo-rollouts-notification-configmap</c> is Argo Rollouts' too (Argo CD's is then its
    /// catalog alone). Each problem goes to <paramref name="stderr"/>.
    /// </summary>
    public static async Task<(NotificationConfig ArgoCd, NotificationConfig Rollouts)> LoadConfigsAsync(ToolArguments args, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ConfigMapData? main = await ReadAsync(args.Config, args.Secret, cancellationToken).ConfigureAwait(false);
        ConfigMapData? rollouts = await ReadAsync(args.RolloutsConfig, args.RolloutsSecret, cancellationToken).ConfigureAwait(false);
        if (rollouts is null && main?.Name == "argo-rollouts-notification-configmap")
        {
            (rollouts, main) = (main, null);
        }

        NotificationConfig argoCd = await ParseAsync(main ?? ConfigMapData.Empty(), NotificationConfigParser.Catalog, stderr).ConfigureAwait(false);
        NotificationConfig rolloutsConfig = await ParseAsync(
            rollouts ?? ConfigMapData.Empty("argo-rollouts-notification-configmap"), NotificationConfigParser.RolloutsCatalog, stderr).ConfigureAwait(false);
        return (argoCd, rolloutsConfig);
    }

    private static async Task<ConfigMapData?> ReadAsync(string? config, string? secret, CancellationToken cancellationToken) =>
        config is null
            ? null
            : ConfigMapData.FromYaml(
                await File.ReadAllTextAsync(config, cancellationToken).ConfigureAwait(false),
                config,
                secret is null ? null : await File.ReadAllTextAsync(secret, cancellationToken).ConfigureAwait(false),
                secret);

    private static async Task<NotificationConfig> ParseAsync(ConfigMapData data, IReadOnlyDictionary<string, string> catalog, TextWriter stderr)
    {
        NotificationConfig config = NotificationConfigParser.Parse(data, ServiceTypes.BuiltIn(), ReplayCommand.OfflineServices(), catalog);
        foreach (ConfigProblem problem in config.Problems)
        {
            await stderr.WriteLineAsync($"{problem.Key}: {FirstLine(problem.Message)}{(problem.Disabled ? " (entry disabled)" : " (warning)")}").ConfigureAwait(false);
        }

        return config;
    }

    /// <summary>The <c>repo</c> helpers of the offline tools: the canned answers of <c>--repo-answers</c>, or none.</summary>
    /// <exception cref="FormatException">The answers file is not valid.</exception>
    public static async Task<Lookout.Notifications.Scope.IArgoRepoServer?> LoadRepoAnswersAsync(ToolArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.RepoAnswers is null)
        {
            return null;
        }

        CannedRepoAnswers answers = await CannedRepoAnswers.LoadAsync(args.RepoAnswers, cancellationToken).ConfigureAwait(false);
        return new RepoHelpers(answers, new RepoServerSettings(), TimeProvider.System).Immediate();
    }

    /// <summary>The first line of a message (expression errors add the source line and a caret below it).</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
