using System.Text.Json.Nodes;
using Lookout.Values.Time;
using Lookout.Values.Yaml;

namespace Lookout.Notifications.Repo;

/// <summary>
/// The repo server's answers from a file (<c>--repo-answers</c>), so templates that call <c>repo.GetCommitMetadata</c>
/// and <c>repo.GetAppDetails</c> render offline: in the embedded mode, <c>notifier replay</c> and
/// <c>notifier template notify</c>. The file (YAML or JSON) has a list <c>commits</c> (each with <c>revision</c> and
/// optionally <c>repoURL</c>; <c>message</c>, <c>author</c>, <c>date</c> in RFC 3339, <c>tags</c>) and a list
/// <c>appDetails</c> (each optionally with <c>app</c> and <c>repoURL</c> to match; <c>type</c>, <c>helm</c>,
/// <c>kustomize</c>, <c>directory</c> as the repo server answers them). The first entry that matches answers; a
/// question no entry matches fails as an unknown revision would.
/// </summary>
public sealed class CannedRepoAnswers : IRepoServer
{
    private readonly List<(string? RepoUrl, string Revision, CommitMetadata Answer)> commits = [];
    private readonly List<(string? App, string? RepoUrl, AppDetail Answer)> details = [];
    private readonly string source;

    private CannedRepoAnswers(string source) => this.source = source;

    /// <summary>Reads the file.</summary>
    /// <exception cref="FormatException">The file is not valid; the message names it and the entry.</exception>
    public static async Task<CannedRepoAnswers> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);
    }

    /// <summary>Reads answers from YAML or JSON text.</summary>
    /// <exception cref="FormatException">The text is not valid; the message names <paramref name="source"/> and the entry.</exception>
    public static CannedRepoAnswers Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var answers = new CannedRepoAnswers(source);
        IReadOnlyList<JsonNode> documents = YamlDocuments.Parse(text, source);
        if (documents.Count == 0)
        {
            return answers;
        }

        if (documents.Count > 1 || documents[0] is not JsonObject root)
        {
            throw new FormatException($"{source}: expected one mapping with 'commits' and 'appDetails'");
        }

        foreach ((JsonObject entry, string where) in Entries(root, "commits", source))
        {
            string revision = Str(entry, "revision") ?? throw new FormatException($"{where}: 'revision' is required");
            DateTimeOffset? date = null;
            if (Str(entry, "date") is { Length: > 0 } d)
            {
                date = GoTime.TryParseRfc3339Ticks(d, out long ticks) ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new FormatException($"{where}: 'date' is not an RFC 3339 time: {d}");
            }

            answers.commits.Add((Str(entry, "repoURL"), revision, new CommitMetadata(Str(entry, "message") ?? string.Empty, Str(entry, "author") ?? string.Empty, date, List(entry, "tags"))));
        }

        foreach ((JsonObject entry, string where) in Entries(root, "appDetails", source))
        {
            HelmDetail? helm = entry["helm"] is JsonObject h
                ? new HelmDetail(
                    Str(h, "name") ?? string.Empty,
                    List(h, "valueFiles"),
                    [.. Objects(h, "parameters").Select(p => new HelmParameter(Str(p, "name") ?? string.Empty, Str(p, "value") ?? string.Empty, p["forceString"]?.GetValueKind() == System.Text.Json.JsonValueKind.True))],
                    Str(h, "values") ?? string.Empty,
                    [.. Objects(h, "fileParameters").Select(p => new HelmFileParameter(Str(p, "name") ?? string.Empty, Str(p, "path") ?? string.Empty))])
                : null;
            KustomizeDetail? kustomize = entry["kustomize"] is JsonObject k ? new KustomizeDetail(List(k, "images")) : null;
            string type = Str(entry, "type") ?? (helm is not null ? "Helm" : kustomize is not null ? "Kustomize" : "Directory");
            answers.details.Add((Str(entry, "app"), Str(entry, "repoURL"), new AppDetail(type, helm, kustomize, entry.ContainsKey("directory") || (helm is null && kustomize is null))));
        }

        return answers;
    }

    /// <inheritdoc/>
    public Task<CommitMetadata> GetCommitMetadataAsync(CommitQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach ((string? repoUrl, string revision, CommitMetadata answer) in commits)
        {
            if (revision == query.Revision && (repoUrl is null || GitUrls.Same(repoUrl, query.RepoUrl)))
            {
                return Task.FromResult(answer);
            }
        }

        return Task.FromException<CommitMetadata>(new RepoServerException($"no answer in {source} for revision {query.Revision} of {GitUrls.Sanitize(query.RepoUrl)}"));
    }

    /// <inheritdoc/>
    public Task<AppDetail> GetAppDetailsAsync(AppDetailsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach ((string? app, string? repoUrl, AppDetail answer) in details)
        {
            if ((app is null || app == query.AppName) && (repoUrl is null || GitUrls.Same(repoUrl, query.RepoUrl)))
            {
                return Task.FromResult(answer);
            }
        }

        return Task.FromException<AppDetail>(new RepoServerException($"no app details in {source} for application {query.AppName} ({GitUrls.Sanitize(query.RepoUrl)})"));
    }

    private static IEnumerable<(JsonObject Entry, string Where)> Entries(JsonObject root, string list, string source)
    {
        if (root[list] is null)
        {
            yield break;
        }

        if (root[list] is not JsonArray items)
        {
            throw new FormatException($"{source}: '{list}' must be a list");
        }

        for (int i = 0; i < items.Count; i++)
        {
            yield return (items[i] as JsonObject ?? throw new FormatException($"{source}: {list}[{i}] must be a mapping"), $"{source}: {list}[{i}]");
        }
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v ? v.ToString() : null;

    private static List<string> List(JsonObject o, string key) =>
        o[key] is JsonArray a ? [.. a.Select(x => x?.ToString() ?? string.Empty)] : [];

    private static IEnumerable<JsonObject> Objects(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.OfType<JsonObject>() : [];
}
