using Lookout.Values;

namespace Lookout.Notifications.Repo;

/// <summary>
/// What Argo CD's repo server answers for the <c>repo</c> helpers, asked asynchronously: the gRPC client
/// (<see cref="GrpcRepoServer"/>) or a file of canned answers (<see cref="CannedRepoAnswers"/>).
/// </summary>
public interface IRepoServer
{
    /// <summary>The commit's metadata (argo-cd's <c>GetRevisionMetadata</c>).</summary>
    /// <exception cref="RepoServerException">The repo server failed, timed out or does not know the revision.</exception>
    Task<CommitMetadata> GetCommitMetadataAsync(CommitQuery query, CancellationToken cancellationToken);

    /// <summary>The application source's details (argo-cd's <c>GetAppDetails</c>).</summary>
    /// <exception cref="RepoServerException">The repo server failed or timed out.</exception>
    Task<AppDetail> GetAppDetailsAsync(AppDetailsQuery query, CancellationToken cancellationToken);
}

/// <summary>A commit of an Application's source repository.</summary>
/// <param name="RepoUrl">The Application's <c>spec.source.repoURL</c>.</param>
/// <param name="Project">The Application's project (repository Secrets may be scoped to one).</param>
/// <param name="Revision">The commit SHA (or any revision the repo server resolves).</param>
public sealed record CommitQuery(string RepoUrl, string Project, string Revision)
{
    /// <summary>The cache key: repository and revision (the project selects credentials only).</summary>
    public string Key => $"commit\n{GitUrls.Normalize(RepoUrl)}\n{Project}\n{Revision}";
}

/// <summary>An Application's first source, as argo-cd's <c>GetAppDetails</c> sends it.</summary>
/// <param name="AppName">The Application's name.</param>
/// <param name="AppNamespace">The Application's namespace.</param>
/// <param name="Project">The Application's project.</param>
/// <param name="Source">The source (<c>spec.source</c>, or the first of <c>spec.sources</c>).</param>
/// <param name="Revision">The revision the details are for: <c>status.sync.revision</c>, else the source's <c>targetRevision</c>.</param>
public sealed record AppDetailsQuery(string AppName, string AppNamespace, string Project, ObjectMap Source, string Revision)
{
    /// <summary>The source's repository URL.</summary>
    public string RepoUrl => Source.GetValueOrDefault("repoURL") as string ?? string.Empty;

    /// <summary>The cache key: repository, revision and the source's settings (path, chart, Helm and Kustomize options).</summary>
    public string Key => $"app\n{GitUrls.Normalize(RepoUrl)}\n{Project}\n{Revision}\n{AppNamespace}/{AppName}\n{ObjectModel.ToJson(Source)}";
}

/// <summary>argo-cd's <c>CommitMetadata</c>: what templates read as <c>Message</c>, <c>Author</c>, <c>Date</c> and <c>Tags</c>.</summary>
/// <param name="Message">The commit message.</param>
/// <param name="Author">The author, as <c>Name &lt;email&gt;</c>.</param>
/// <param name="Date">The commit date; null when the repo server sent none (Go's zero time).</param>
/// <param name="Tags">Tags pointing at the commit.</param>
public sealed record CommitMetadata(string Message, string Author, DateTimeOffset? Date, IReadOnlyList<string> Tags);

/// <summary>argo-cd's <c>AppDetail</c>: the source's <c>Type</c> and the details of that type.</summary>
/// <param name="Type">The source type (<c>Helm</c>, <c>Kustomize</c>, <c>Directory</c>, <c>Plugin</c>).</param>
/// <param name="Helm">Helm details, when the source is a Helm chart.</param>
/// <param name="Kustomize">Kustomize details (the images), when the source is a kustomization.</param>
/// <param name="Directory">Whether the source is a directory of manifests (the details are empty).</param>
public sealed record AppDetail(string Type, HelmDetail? Helm, KustomizeDetail? Kustomize, bool Directory);

/// <summary>The repo server's Helm details of a chart.</summary>
/// <param name="Name">The chart's name.</param>
/// <param name="ValueFiles">The chart's value files.</param>
/// <param name="Parameters">The parameters from <c>helm inspect values</c>.</param>
/// <param name="Values">The contents of values.yaml.</param>
/// <param name="FileParameters">The file parameters.</param>
public sealed record HelmDetail(
    string Name,
    IReadOnlyList<string> ValueFiles,
    IReadOnlyList<HelmParameter> Parameters,
    string Values,
    IReadOnlyList<HelmFileParameter> FileParameters);

/// <summary>A Helm parameter.</summary>
public sealed record HelmParameter(string Name, string Value, bool ForceString = false);

/// <summary>A Helm file parameter.</summary>
public sealed record HelmFileParameter(string Name, string Path);

/// <summary>The repo server's Kustomize details.</summary>
/// <param name="Images">The images the kustomization uses.</param>
public sealed record KustomizeDetail(IReadOnlyList<string> Images);

/// <summary>The repo server did not answer (down, slow, refused) or answered with an error (an unknown revision).</summary>
public sealed class RepoServerException : Exception
{
    public RepoServerException()
    {
    }

    public RepoServerException(string message)
        : base(message)
    {
    }

    public RepoServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
