using System.Text.Json.Nodes;

namespace Lookout.Testing.Kubernetes;

/// <summary>The API server's field selectors as far as the tests use them: <c>a.b=v</c>, <c>a.b==v</c> and <c>a.b!=v</c>, comma-separated.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Equal)> terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (string term in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool equal = !term.Contains("!=", StringComparison.Ordinal);
            string[] parts = term.Split(equal ? (term.Contains("==", StringComparison.Ordinal) ? "==" : "=") : "!=", 2);
            selector.terms.Add((parts[0].Split('.'), parts.Length > 1 ? parts[1] : string.Empty, equal));
        }

        return selector;
    }

    public bool Matches(JsonNode? obj)
    {
        foreach ((string[] path, string value, bool equal) in terms)
        {
            JsonNode? node = obj;
            foreach (string segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            string actual = node is JsonValue v ? v.ToString() : string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
