using Lookout.Notifications.Repo;

namespace Lookout.Notifier.Repo;

/// <summary>Which source answers the <c>repo</c> helpers: canned answers, Argo CD's repo server, or none.</summary>
public static class RepoComposition
{
    /// <summary>
    /// <see cref="RepoServerSettings.AnswersPath"/> when set; else the repo server at <see cref="RepoServerSettings.Address"/>,
    /// which defaults to Argo CD's <c>argocd-repo-server:8081</c> in the cluster mode; else none (the embedded mode
    /// without answers), where the helpers fail saying so.
    /// </summary>
    /// <param name="options">The notifier's options.</param>
    /// <param name="secrets">Argo CD's repository Secrets.</param>
    /// <param name="clock">The cache's clock.</param>
    /// <param name="metrics">Counts the questions, when given.</param>
    public static RepoHelpers Create(NotifierOptions options, IRepositorySecrets secrets, TimeProvider clock, NotifierMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        RepoServerSettings settings = options.RepoServer;
        if (!string.IsNullOrWhiteSpace(settings.AnswersPath))
        {
            return new RepoHelpers(CannedRepoAnswers.Parse(File.ReadAllText(settings.AnswersPath), settings.AnswersPath), settings, clock, metrics is null ? null : metrics.RepoServerAsked);
        }

        string? address = !string.IsNullOrWhiteSpace(settings.Address) ? settings.Address
            : options.IsEmbedded ? null
            : RepoServerSettings.DefaultAddress;
        return address is null ? RepoHelpers.None : new RepoHelpers(new GrpcRepoServer(address, settings, new RepositoryCredentials(secrets)), settings, clock, metrics is null ? null : metrics.RepoServerAsked);
    }
}
