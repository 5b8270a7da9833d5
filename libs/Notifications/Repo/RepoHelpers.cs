using Lookout.Notifications.Scope;
using Lookout.Values;

namespace Lookout.Notifications.Repo;

/// <summary>
/// The <c>repo.GetCommitMetadata</c> and <c>repo.GetAppDetails</c> helpers for the notifier. Templates render
/// synchronously and a consumer never waits on a thread, so the answers are fetched before the render that uses them:
/// <see cref="EvaluateAsync{T}"/> evaluates once against the cache, and each question the cache cannot answer yet is
/// asked (in flight at once, each bounded by the timeout) while the helper hands the template a zero value so the rest of
/// the render goes on discovering questions. When any were asked, that evaluation is thrown away and run again with the
/// answers in hand; an answer that is an error makes only the helper call fail, naming the repo server's failure.
/// </summary>
public sealed class RepoHelpers
{
    /// <summary>Evaluations per object at most: the first discovers, later ones discover what depended on an answer.</summary>
    public const int MaxRounds = 3;

    private readonly IRepoServer? server;
    private readonly RepoAnswerCache cache;
    private readonly Action<string, string>? observe;

    /// <summary>Helpers answered by <paramref name="server"/>, with a cache of <paramref name="settings"/>'s bounds.</summary>
    /// <param name="server">The repo server or canned answers; null: none configured.</param>
    /// <param name="settings">The cache's bounds.</param>
    /// <param name="clock">The cache's clock.</param>
    /// <param name="observe">Told each question as (method, outcome): <c>cached</c>, <c>answered</c> or <c>failed</c> (for metrics).</param>
    public RepoHelpers(IRepoServer? server, RepoServerSettings settings, TimeProvider clock, Action<string, string>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        this.server = server;
        this.observe = observe;
        cache = new RepoAnswerCache(settings.CacheSize, settings.CacheFor, settings.FailureCacheFor, clock);
    }

    /// <summary>No repo server: the helpers fail with "no Argo CD repo server is configured".</summary>
    public static RepoHelpers None { get; } = new(null, new RepoServerSettings(), TimeProvider.System);

    /// <summary>The cache (its hit and miss counts are the notifier's metrics).</summary>
    public RepoAnswerCache Cache => cache;

    /// <summary>Whether a repo server (or canned answers) is configured.</summary>
    public bool IsConfigured => server is not null;

    /// <summary>
    /// Runs <paramref name="evaluate"/> with the helpers' view of the repo server until no answer is missing (at most
    /// <see cref="MaxRounds"/> times), awaiting the answers between runs; returns the last run's result.
    /// </summary>
    public async Task<T> EvaluateAsync<T>(Func<IArgoRepoServer?, T> evaluate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        if (server is null)
        {
            return evaluate(null);
        }

        var lookups = new RepoLookups(this);
        for (int round = 1; ; round++)
        {
            lookups.FinalRound = round == MaxRounds;
            T result = evaluate(lookups);
            if (!lookups.HasPending)
            {
                return result;
            }

            await lookups.AwaitPendingAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A view for a synchronous caller whose server answers at once (canned answers in <c>notifier replay</c>).</summary>
    public IArgoRepoServer? Immediate() => server is null ? null : new RepoLookups(this) { FinalRound = true };

    internal Task<RepoAnswer> Ask(CommitQuery query) =>
        Ask("GetRevisionMetadata", query.Key, async () => new RepoAnswer(await server!.GetCommitMetadataAsync(query, CancellationToken.None).ConfigureAwait(false), null));

    internal Task<RepoAnswer> Ask(AppDetailsQuery query) =>
        Ask("GetAppDetails", query.Key, async () => new RepoAnswer(await server!.GetAppDetailsAsync(query, CancellationToken.None).ConfigureAwait(false), null));

    private Task<RepoAnswer> Ask(string method, string key, Func<Task<RepoAnswer>> fetch)
    {
        Task<RepoAnswer> answer = cache.GetOrFetch(key, observe is null ? fetch : () => Observed(method, fetch), out bool cached);
        if (cached)
        {
            observe?.Invoke(method, "cached");
        }

        return answer;
    }

    /// <summary>The fetch, telling its outcome before the answer is published to the waiters.</summary>
    private async Task<RepoAnswer> Observed(string method, Func<Task<RepoAnswer>> fetch)
    {
        try
        {
            RepoAnswer answer = await fetch().ConfigureAwait(false);
            observe!(method, answer.Error is null ? "answered" : "failed");
            return answer;
        }
        catch
        {
            observe!(method, "failed");
            throw;
        }
    }
}

/// <summary>One evaluation's view of the repo server: answers pinned for the evaluation, questions still in flight.</summary>
internal sealed class RepoLookups(RepoHelpers helpers) : IArgoRepoServer
{
    private static readonly CommitMetadata NoCommit = new(string.Empty, string.Empty, null, []);
    private static readonly AppDetail NoDetails = new(string.Empty, null, null, false);

    private readonly Dictionary<string, RepoAnswer> answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<RepoAnswer>> pending = new(StringComparer.Ordinal);

    /// <summary>When set, a question without an answer fails instead of being asked.</summary>
    public bool FinalRound { get; set; }

    public bool HasPending => pending.Count > 0;

    public async Task AwaitPendingAsync(CancellationToken cancellationToken)
    {
        foreach ((string key, Task<RepoAnswer> task) in pending)
        {
            answers[key] = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        pending.Clear();
    }

    public object? GetCommitMetadata(object? app, string commitSha)
    {
        CommitQuery query = RepoQueries.Commit(app, commitSha);
        RepoAnswer? answer = Find(query.Key, () => helpers.Ask(query));
        return answer is null ? RepoValues.Commit(NoCommit) : RepoValues.Commit(Value<CommitMetadata>(answer, $"repo.GetCommitMetadata(\"{commitSha}\")"));
    }

    public object? GetAppDetails(object? app)
    {
        AppDetailsQuery query = RepoQueries.AppDetails(app);
        RepoAnswer? answer = Find(query.Key, () => helpers.Ask(query));
        return RepoValues.AppDetails(answer is null ? NoDetails : Value<AppDetail>(answer, "repo.GetAppDetails"), query.Source);
    }

    private static T Value<T>(RepoAnswer answer, string call) =>
        answer.Value is T value ? value : throw new GoFunctionException($"{call}: {answer.Error}");

    /// <summary>The pinned or cached answer; else the question is asked and null returned (the caller renders a zero value).</summary>
    private RepoAnswer? Find(string key, Func<Task<RepoAnswer>> ask)
    {
        if (answers.TryGetValue(key, out RepoAnswer? pinned))
        {
            return pinned;
        }

        if (pending.ContainsKey(key))
        {
            return null;
        }

        Task<RepoAnswer> task = ask();
        if (task.IsCompletedSuccessfully)
        {
            answers[key] = task.Result;
            return task.Result;
        }

        if (FinalRound)
        {
            throw new GoFunctionException("the repo server's answer is not there yet: it depends on another answer more than " + RepoHelpers.MaxRounds + " levels deep");
        }

        pending[key] = task;
        return null;
    }
}

/// <summary>What argo-cd's helpers read from the Application to ask the repo server.</summary>
internal static class RepoQueries
{
    public static CommitQuery Commit(object? app, string revision)
    {
        ObjectMap spec = Map(app, "spec") ?? throw new GoFunctionException("repo.GetCommitMetadata: the object has no spec");
        string repoUrl = Map(spec, "source")?.GetValueOrDefault("repoURL") as string
            ?? throw new GoFunctionException("repo.GetCommitMetadata: failed to get application source repo URL (spec.source.repoURL; an Application with spec.sources has none, as in Argo CD)");
        string project = spec.GetValueOrDefault("project") as string ?? throw new GoFunctionException("repo.GetCommitMetadata: failed to get application project (spec.project)");
        return new CommitQuery(repoUrl, project, revision);
    }

    public static AppDetailsQuery AppDetails(object? app)
    {
        ObjectMap spec = Map(app, "spec") ?? throw new GoFunctionException("repo.GetAppDetails: the object has no spec");
        ObjectMap source = Map(spec, "source")
            ?? (spec.GetValueOrDefault("sources") is IList<object?> { Count: > 0 } sources ? sources[0] as ObjectMap : null)
            ?? throw new GoFunctionException("repo.GetAppDetails: the application has no source (spec.source or spec.sources)");
        ObjectMap? metadata = Map(app, "metadata");
        ObjectMap? sync = Map(Map(app, "status"), "sync");
        string revision = sync?.GetValueOrDefault("revision") as string is { Length: > 0 } r ? r
            : sync?.GetValueOrDefault("revisions") is IList<object?> { Count: > 0 } rs && rs[0] is string first ? first
            : source.GetValueOrDefault("targetRevision") as string ?? string.Empty;
        return new AppDetailsQuery(
            metadata?.GetValueOrDefault("name") as string ?? string.Empty,
            metadata?.GetValueOrDefault("namespace") as string ?? string.Empty,
            spec.GetValueOrDefault("project") as string ?? string.Empty,
            source,
            revision);
    }

    private static ObjectMap? Map(object? value, string key) => value is ObjectMap map ? map.GetValueOrDefault(key) as ObjectMap : null;
}
