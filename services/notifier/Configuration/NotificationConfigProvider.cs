using Lookout.Notifications.Configuration;
using Lookout.Notifications.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lookout.Notifier.Configuration;

/// <summary>Where the ConfigMap and Secret come from: files (embedded mode) or the cluster.</summary>
public interface IConfigSource
{
    /// <summary>A text that changes whenever the configuration does (resourceVersions, file times).</summary>
    Task<string> VersionAsync(CancellationToken cancellationToken);

    /// <summary>Reads the ConfigMap and Secret.</summary>
    Task<ConfigMapData> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Reports problems where users look (a Kubernetes Event on the ConfigMap); best effort.</summary>
    Task ReportAsync(IReadOnlyList<ConfigProblem> problems, CancellationToken cancellationToken);
}

/// <summary>
/// The current configuration, reloaded when its source changes. Each load is a new immutable
/// <see cref="NotificationConfig"/>, swapped in one assignment, so an evaluation in flight ends on the configuration
/// it began with. A bad entry is logged with its key and position, counted, and reported on the ConfigMap; only it
/// is disabled. If the source cannot be read, the last good configuration stays.
/// </summary>
public sealed partial class NotificationConfigProvider(
    IConfigSource source,
    ServiceTypes types,
    ServiceContext services,
    NotifierOptions options,
    ILogger<NotificationConfigProvider> logger,
    NotifierMetrics? metrics = null,
    IReadOnlyDictionary<string, string>? catalog = null) : BackgroundService
{
    private readonly IReadOnlyDictionary<string, string> catalog = catalog ?? NotificationConfigParser.Catalog;

    private readonly NotifierMetrics metrics = metrics ?? NotifierMetrics.Unserved();

    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NotificationConfig? current;
    private string? version;

    /// <summary>The configuration; waits for the first load.</summary>
    public async ValueTask<NotificationConfig> GetAsync(CancellationToken cancellationToken)
    {
        NotificationConfig? config = Volatile.Read(ref current);
        if (config is not null)
        {
            return config;
        }

        await loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Volatile.Read(ref current)!;
    }

    /// <summary>Reloads now when the source changed; returns whether a new configuration was loaded.</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        string newVersion = await source.VersionAsync(cancellationToken).ConfigureAwait(false);
        if (newVersion == version && current is not null)
        {
            return false;
        }

        ConfigMapData data = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
        NotificationConfig config = NotificationConfigParser.Parse(data, types, services, catalog);
        foreach (ConfigProblem problem in config.Problems)
        {
            LogProblem(logger, config.Source, problem.Key, problem.Message, problem.Disabled);
        }

        metrics.SetConfigProblems(config.Problems, config.Source);
        Volatile.Write(ref current, config);
        version = newVersion;
        loaded.TrySetResult();
        LogLoaded(logger, config.Source, config.TriggerDefinitions.Count, config.Templates.TemplateNames.Count, config.Services.Count, config.Problems.Count);
        await source.ReportAsync(config.Problems, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReloadInterval);
        do
        {
            try
            {
                await ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReadFailed(logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "notification configuration {Source}: {Key}: {Problem} (disabled: {Disabled})")]
    private static partial void LogProblem(ILogger logger, string source, string key, string problem, bool disabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "notification configuration {Source} loaded: {Triggers} triggers, {Templates} templates, {Services} services, {Problems} problems")]
    private static partial void LogLoaded(ILogger logger, string source, int triggers, int templates, int services, int problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read the notification configuration ({Type}: {Message}); keeping the last one")]
    private static partial void LogReadFailed(ILogger logger, string type, string message);
}

/// <summary>Argo Rollouts' configuration (its ConfigMap and Secret over its built-in catalog), beside Argo CD's.</summary>
/// <param name="Provider">The provider, reloading like Argo CD's.</param>
public sealed record RolloutsConfigProvider(NotificationConfigProvider Provider)
{
    /// <summary>The configuration; waits for the first load.</summary>
    public ValueTask<NotificationConfig> GetAsync(CancellationToken cancellationToken) => Provider.GetAsync(cancellationToken);
}
