using Lookout.Notifications.Repo;

namespace Lookout.Repo.Tests;

/// <summary>Repository URLs compared as Argo CD compares them (argo-cd util/git SameURL).</summary>
public sealed class GitUrlsTests
{
    public static TheoryData<string, string, bool> Pairs => new()
    {
        { "https://github.com/example/guestbook", "https://GitHub.com/example/guestbook.git", true },
        { " https://github.com/example/guestbook.git ", "https://github.com/example/guestbook", true },
        { "git@github.com:example/guestbook.git", "ssh://git@github.com/example/guestbook", true },
        { "https://github.com/example/guestbook", "https://github.com/example/guestbook2", false },
        { "git@github.com:example/guestbook.git", "https://github.com/example/guestbook", false },
        { string.Empty, string.Empty, false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Same_ComparesNormalizedUrls(string left, string right, bool same) => Assert.Equal(same, GitUrls.Same(left, right));

    [Theory]
    [InlineData("https://user:s3cret@github.com/org/repo", "https://user@github.com/org/repo")]
    [InlineData("https://github.com/org/repo", "https://github.com/org/repo")]
    [InlineData("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    public void Sanitize_DropsThePassword(string url, string shown) => Assert.Equal(shown, GitUrls.Sanitize(url));
}
