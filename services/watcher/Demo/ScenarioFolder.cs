using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lookout.Values.Yaml;
using Lookout.Watcher.Kubernetes;

namespace Lookout.Watcher.Demo;

/// <summary>One recorded object version of a step.</summary>
/// <param name="Kind">Application or Rollout.</param>
/// <param name="Namespace">The object's namespace (<c>default</c> when the file has none).</param>
/// <param name="Name">The object's name.</param>
/// <param name="Object">The object, with a stable <c>metadata.uid</c> filled in.</param>
/// <param name="Deleted">Whether the step deletes it (annotation <c>lookout.demo/deleted: "true"</c>).</param>
public sealed record ScenarioObject(WatchedKind Kind, string Namespace, string Name, JsonObject Object, bool Deleted)
{
    /// <summary>The key that identifies the object across steps.</summary>
    public string Key => $"{Kind.Kind}/{Namespace}/{Name}";
}

/// <summary>One step file of a scenario.</summary>
/// <param name="File">The file's name, for logs and errors.</param>
/// <param name="Objects">Its object versions, in file order.</param>
/// <param name="AfterVerdict">
/// For a step that plays only once the analyzer voted (annotation <c>lookout.demo/after-verdict: promote|abort</c>
/// on a Rollout of the step): the Rollout's key and the vote that makes the step play; null for an ordinary step.
/// </param>
public sealed record ScenarioStep(string File, IReadOnlyList<ScenarioObject> Objects, (string Rollout, string Verdict)? AfterVerdict);

/// <summary>A scenario: a folder of step files played in file-name order.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioStep> Steps);

/// <summary>
/// Reads scenario folders (see README.md in this folder). A folder whose step files sit directly in it is one
/// scenario; otherwise each sub-folder holding step files is one, and they play side by side. Step files are the
/// <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> files whose name starts with a digit; other files (README.md,
/// endpoints.yaml, measurements.yaml, projects.yaml) are data for the other services and are not replayed.
/// </summary>
public static class ScenarioFolder
{
    /// <summary>The annotation that turns a snapshot into a DELETED event.</summary>
    public const string DeletedAnnotation = "lookout.demo/deleted";

    /// <summary>The annotation that makes a step wait for the analyzer's vote on its Rollout.</summary>
    public const string AfterVerdictAnnotation = "lookout.demo/after-verdict";

    /// <summary>Reads every scenario of a folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FormatException">A file is not valid YAML or JSON, or an object lacks a name; the message names the file.</exception>
    public static IReadOnlyList<Scenario> Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"demo scenario folder '{folder}' does not exist");
        }

        if (StepFiles(folder).Length > 0)
        {
            return [LoadOne(folder)];
        }

        return [.. Directory.EnumerateDirectories(folder)
            .Order(StringComparer.Ordinal)
            .Where(d => StepFiles(d).Length > 0)
            .Select(LoadOne)];
    }

    private static string[] StepFiles(string folder) => [.. Directory.EnumerateFiles(folder)
        .Where(f => Path.GetFileName(f) is { Length: > 0 } n && char.IsAsciiDigit(n[0])
            && (n.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)];

    private static Scenario LoadOne(string folder)
    {
        string scenario = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var steps = new List<ScenarioStep>();
        foreach (string file in StepFiles(folder))
        {
            string name = Path.GetFileName(file);
            var objects = new List<ScenarioObject>();
            (string, string)? afterVerdict = null;
            foreach (JsonNode node in YamlDocuments.Parse(File.ReadAllText(file), $"{scenario}/{name}"))
            {
                if (node is not JsonObject obj || WatchedKind.FromKind((string?)obj["kind"]) is not WatchedKind kind)
                {
                    continue;
                }

                JsonObject metadata = obj["metadata"] as JsonObject ?? throw new FormatException($"{scenario}/{name}: an object without metadata");
                string ns = (string?)metadata["namespace"] ?? "default";
                string objectName = (string?)metadata["name"] ?? throw new FormatException($"{scenario}/{name}: an object without metadata.name");
                var recorded = new ScenarioObject(kind, ns, objectName, obj, false);
                metadata["namespace"] = ns;
                metadata["uid"] ??= StableUid(recorded.Key);
                JsonObject? annotations = metadata["annotations"] as JsonObject;
                if ((string?)annotations?[AfterVerdictAnnotation] is { Length: > 0 } vote)
                {
                    if (kind != WatchedKind.Rollout || (vote != "promote" && vote != "abort"))
                    {
                        throw new FormatException($"{scenario}/{name}: {AfterVerdictAnnotation} must be 'promote' or 'abort' on a Rollout");
                    }

                    afterVerdict = (recorded.Key, vote);
                }

                objects.Add(recorded with { Deleted = (string?)annotations?[DeletedAnnotation] == "true" });
            }

            steps.Add(new ScenarioStep(name, objects, afterVerdict));
        }

        return new Scenario(scenario, steps);
    }

    private static string StableUid(string key)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
