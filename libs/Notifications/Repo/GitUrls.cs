namespace Lookout.Notifications.Repo;

/// <summary>Repository URLs compared and shown as Argo CD does (argo-cd util/git: NormalizeGitURL, SameURL, SanitizeRepoURL).</summary>
public static class GitUrls
{
    /// <summary>
    /// The form two URLs of one repository share: lower case, trimmed, without <c>.git</c>; an scp-like SSH address
    /// (<c>git@host:org/repo</c>) as <c>git@host/org/repo</c>, and <c>ssh://</c> dropped.
    /// </summary>
    public static string Normalize(string repoUrl)
    {
        ArgumentNullException.ThrowIfNull(repoUrl);
        string repo = repoUrl.Trim().ToLowerInvariant();
        if (IsSsh(repo) && !repo.StartsWith("ssh://", StringComparison.Ordinal))
        {
            int colon = repo.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                repo = string.Concat(repo.AsSpan(0, colon), "/", repo.AsSpan(colon + 1));
            }
        }

        if (repo.EndsWith(".git", StringComparison.Ordinal))
        {
            repo = repo[..^4];
        }

        return repo.StartsWith("ssh://", StringComparison.Ordinal) ? repo["ssh://".Length..] : repo;
    }

    /// <summary>Whether two URLs name one repository.</summary>
    public static bool Same(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        string l = Normalize(left);
        string r = Normalize(right);
        return l.Length > 0 && l == r;
    }

    /// <summary>The URL without a password, for messages (<c>https://user:secret@host</c> shows as <c>https://user@host</c>).</summary>
    public static string Sanitize(string repoUrl)
    {
        ArgumentNullException.ThrowIfNull(repoUrl);
        int scheme = repoUrl.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return repoUrl;
        }

        int start = scheme + 3;
        int slash = repoUrl.IndexOf('/', start);
        int end = slash < 0 ? repoUrl.Length : slash;
        int at = repoUrl.LastIndexOf('@', end - 1, end - start);
        if (at < 0)
        {
            return repoUrl;
        }

        int colon = repoUrl.IndexOf(':', start, at - start);
        return colon < 0 ? repoUrl : string.Concat(repoUrl.AsSpan(0, colon), repoUrl.AsSpan(at));
    }

    /// <summary>Argo CD's test for SSH URLs: an optional <c>ssh://</c>, a user without <c>/</c> or <c>:</c>, one <c>@</c>, a non-empty rest.</summary>
    private static bool IsSsh(string repo)
    {
        string rest = repo.StartsWith("ssh://", StringComparison.Ordinal) ? repo["ssh://".Length..] : repo;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && rest.AsSpan(0, at).IndexOfAny('/', ':') < 0 && at + 1 < rest.Length && rest.IndexOf('@', at + 1) < 0;
    }
}
