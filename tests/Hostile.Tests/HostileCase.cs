using System.Text.Json;

namespace Lookout.Hostile.Tests;

/// <summary>
/// One hostile input: which tool runs it (<c>expr</c> or <c>template</c>), its JSON case line, and what the answer
/// must contain (<c>ok</c> text, or a fragment of the <c>err</c> message); null expectations accept any clean answer.
/// </summary>
public sealed record HostileCase(string Name, string Tool, string Line, string? Ok = null, string? ErrorContains = null)
{
    public override string ToString() => Name;

    /// <summary>A template rendered with Sprig, as Argo CD renders notification templates.</summary>
    public static HostileCase Template(string name, string template, string? ok = null, string? error = null) =>
        new(name, "template", JsonSerializer.Serialize(new Dictionary<string, object> { ["template"] = template, ["sprig"] = true }), ok, error);

    /// <summary>An expression compiled untyped, as Argo CD compiles trigger conditions.</summary>
    public static HostileCase Expression(string name, string expression, string? ok = null, string? error = null) =>
        new(name, "expr", JsonSerializer.Serialize(new Dictionary<string, object> { ["expr"] = expression }), ok, error);

    internal static string Times(string s, int n) => string.Concat(Enumerable.Repeat(s, n));
}
