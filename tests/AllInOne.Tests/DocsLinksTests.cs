using System.Text.RegularExpressions;

namespace Lookout.AllInOne.Tests;

/// <summary>
/// Every relative link of the project's markdown resolves: the file exists (for markdown targets and anything under
/// docs/), and an anchor names a heading of the target as GitHub makes it (lower case, punctuation dropped, spaces to
/// hyphens). The markdown is copied beside the test assembly under <c>repo/</c>.
/// </summary>
public sealed partial class DocsLinksTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "repo");

    public static TheoryData<string> Documents() =>
        [.. Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void TheDocsAreCopied() =>
        Assert.Contains(Path.Combine("docs", "operations", "configuration.md"), Documents());

    [Theory]
    [MemberData(nameof(Documents))]
    public void RelativeLinks_ReachAFileAndAHeading(string document)
    {
        string path = Path.Combine(Root, document);
        var broken = new List<string>();
        foreach (Match m in Link().Matches(File.ReadAllText(path)))
        {
            string link = m.Groups[1].Value;
            if (link.Contains("://", StringComparison.Ordinal) || link.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            int hash = link.IndexOf('#', StringComparison.Ordinal);
            string file = hash < 0 ? link : link[..hash];
            string? anchor = hash < 0 ? null : link[(hash + 1)..];
            string target = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            bool checkable = target.EndsWith(".md", StringComparison.Ordinal)
                || target.StartsWith(Path.Combine(Root, "docs") + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (!checkable)
            {
                continue; // a source file or folder outside docs/: not copied here
            }

            if (!File.Exists(target))
            {
                broken.Add($"{link}: no such file");
            }
            else if (anchor is not null && target.EndsWith(".md", StringComparison.Ordinal) && !Anchors(target).Contains(anchor))
            {
                broken.Add($"{link}: no heading with anchor #{anchor}");
            }
        }

        Assert.True(broken.Count == 0, $"{document}:\n" + string.Join('\n', broken));
    }

    // GitHub's heading anchors: lower case, everything but letters, digits, '_', '-' and spaces dropped, spaces to
    // hyphens; a repeated heading gets -1, -2...
    private static HashSet<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        bool inCode = false;
        foreach (string line in File.ReadLines(markdown))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            Match h = Heading().Match(line);
            if (inCode || !h.Success)
            {
                continue;
            }

            string slug = NotInSlug().Replace(h.Groups[1].Value.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');
            int n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n}");
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}_\- ]")]
    private static partial Regex NotInSlug();
}
