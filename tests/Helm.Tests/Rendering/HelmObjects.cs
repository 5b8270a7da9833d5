using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Lookout.Values;

namespace Lookout.Helm.Tests.Rendering;

/// <summary>
/// Helm's <c>.Files</c>: the chart's files outside <c>templates/</c>, <c>Chart.yaml</c>, <c>values.yaml</c> and
/// <c>values.schema.json</c>, by path relative to the chart, with the methods charts call on it.
/// </summary>
internal sealed partial class HelmFiles(IReadOnlyDictionary<string, string> files) : IGoObject
{
    public string GoTypeName => "common.Files";

    public bool TryGetMethod(string name, [NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "Get" => new GoFunction("Files.Get", 1, 1, a => files.GetValueOrDefault(Path(a[0]), string.Empty)),
            "GetBytes" => new GoFunction("Files.GetBytes", 1, 1, a => files.GetValueOrDefault(Path(a[0]), string.Empty)),
            "Lines" => new GoFunction("Files.Lines", 1, 1, a => Lines(Path(a[0]))),
            "Glob" => new GoFunction("Files.Glob", 1, 1, a => Glob(Path(a[0]))),
            "AsConfig" => new GoFunction("Files.AsConfig", 0, 0, _ => AsMap(content => content)),
            "AsSecrets" => new GoFunction("Files.AsSecrets", 0, 0, _ => AsMap(content => Convert.ToBase64String(Encoding.UTF8.GetBytes(content)))),
            _ => null,
        };
        return method is not null;
    }

    private static string Path(object? arg) => arg as string ?? throw new GoFunctionException("path must be a string");

    private List<object?> Lines(string path)
    {
        // Helm splits on "\n" and drops nothing but a missing file (an empty list).
        return files.TryGetValue(path, out string? content) ? [.. content.Split('\n')] : [];
    }

    // gobwas/glob with '/' as separator: '*' stays within a path segment, '**' crosses them.
    private HelmFiles Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else
            {
                regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }

        var match = new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new HelmFiles(files.Where(f => match.IsMatch(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
    }

    // AsConfig/AsSecrets: a YAML map of each file's base name to its content.
    private string AsMap(Func<string, string> encode)
    {
        var map = new ObjectMap();
        foreach ((string path, string content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            map[System.IO.Path.GetFileName(path)] = encode(content);
        }

        return GoYaml.Marshal(map);
    }

    public override string ToString() => $"map[{string.Join(' ', files.Keys.Order(StringComparer.Ordinal))}]";
}

/// <summary>Helm's <c>.Capabilities.APIVersions</c>: <c>Has "group/version"</c> or <c>Has "group/version/Kind"</c>.</summary>
internal sealed class ApiVersionSet(IEnumerable<string> versions) : IGoObject
{
    private readonly HashSet<string> versions = new(versions, StringComparer.Ordinal);

    public string GoTypeName => "common.VersionSet";

    public bool TryGetMethod(string name, [NotNullWhen(true)] out GoFunction? method)
    {
        method = name == "Has" ? new GoFunction("APIVersions.Has", 1, 1, a => a[0] is string v && versions.Contains(v)) : null;
        return method is not null;
    }

    public override string ToString() => $"[{string.Join(' ', versions.Order(StringComparer.Ordinal))}]";
}
