using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Lookout.AllInOne.Inbox;
using Lookout.Analyzer.Gate;
using Lookout.Hosting;
using Lookout.Notifier;
using Lookout.Watcher.Kubernetes;

namespace Lookout.AllInOne.Tests;

/// <summary>
/// docs/operations/configuration.md lists every setting the options classes bind, and nothing else: a new options
/// property fails here until it is documented, a removed one until its row goes.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Lazy<string> Reference = new(() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "operations", "configuration.md")));

    /// <summary>Every settable key of every options class with a <c>SectionName</c>, nested classes included.</summary>
    public static TheoryData<string> Keys() => [.. Settings().Select(s => s.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void EverySetting_HasARowWithItsKeyAndEnvironmentVariable(string key)
    {
        bool list = Settings().Single(s => s.Key == key).IsList;
        string variable = key.Replace(":", "__", StringComparison.Ordinal) + (list ? "__0" : string.Empty);

        Assert.True(
            Rows().Contains(key),
            $"{key} is bound by an options class but has no row in docs/operations/configuration.md (| `{key}` | `{variable}` | default | what it does | Helm |)");
        Assert.Contains($"`{variable}`", Reference.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDocumentedSetting_IsBoundByAnOptionsClass()
    {
        HashSet<string> sections = [.. Settings().Select(s => s.Key.Split(':')[0])];
        HashSet<string> keys = [.. Settings().Select(s => s.Key)];

        string[] unknown = [.. Rows().Where(r => sections.Contains(r.Split(':')[0]) && !keys.Contains(r))];

        Assert.Empty(unknown);
    }

    [Fact]
    public void TheOptionsClassesOfEveryServiceAreFound()
    {
        HashSet<string> sections = [.. Settings().Select(s => s.Key.Split(':')[0])];

        Assert.Superset(new HashSet<string> { "Service", "Bus", "Watcher", "Publisher", "Verdicts", "Notifier", "Analyzer", "Inbox" }, sections);
        Assert.Contains("Notifier:Delivery:MaxAttempts", Settings().Select(s => s.Key));
        Assert.Contains("Watcher:LeaderElection:LeaseDuration", Settings().Select(s => s.Key));
        Assert.DoesNotContain("Notifier:IsEmbedded", Settings().Select(s => s.Key));
    }

    // The first cell of every table row that is a key (`Section:Key`).
    private static HashSet<string> Rows() =>
        [.. Reference.Value.Split('\n').Select(l => RowKey().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    private static IEnumerable<(string Key, bool IsList)> Settings()
    {
        Assembly[] assemblies =
        [
            typeof(ServiceOptions).Assembly,
            typeof(WatcherOptions).Assembly,
            typeof(NotifierOptions).Assembly,
            typeof(AnalyzerOptions).Assembly,
            typeof(InboxOptions).Assembly,
        ];
        foreach (Type type in assemblies.Distinct().SelectMany(a => a.GetExportedTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section)
            {
                foreach ((string key, bool isList) in Walk(type, section))
                {
                    yield return (key, isList);
                }
            }
        }
    }

    private static IEnumerable<(string Key, bool IsList)> Walk(Type type, string prefix)
    {
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Type t = p.PropertyType;
            bool isList = t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t);
            bool settable = p.SetMethod is { IsPublic: true };
            if (!settable && !isList)
            {
                continue; // computed (IsEmbedded, Enabled, IsStrict...): nothing to configure
            }

            string key = $"{prefix}:{p.Name}";
            if (t.IsClass && !isList && t.Namespace?.StartsWith("Lookout", StringComparison.Ordinal) == true)
            {
                foreach ((string, bool) nested in Walk(t, key))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (key, isList);
            }
        }
    }

    [GeneratedRegex(@"^\| `([A-Z][A-Za-z]*(?::[A-Z][A-Za-z]*)+)` \|")]
    private static partial Regex RowKey();
}
