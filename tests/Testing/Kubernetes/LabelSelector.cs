namespace Lookout.Testing.Kubernetes;

/// <summary>The equality-based part of Kubernetes label selectors: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, comma-separated.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements = [];

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (string raw in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int ne = raw.IndexOf("!=", StringComparison.Ordinal);
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (ne > 0)
            {
                string key = raw[..ne].Trim();
                string value = raw[(ne + 2)..].Trim();
                selector.requirements.Add(l => !l.TryGetValue(key, out string? v) || v != value);
            }
            else if (eq > 0)
            {
                string key = raw[..eq].Trim();
                string value = raw[(eq + 1)..].TrimStart('=').Trim();
                selector.requirements.Add(l => l.TryGetValue(key, out string? v) && v == value);
            }
            else if (raw.StartsWith('!'))
            {
                string key = raw[1..];
                selector.requirements.Add(l => !l.ContainsKey(key));
            }
            else
            {
                selector.requirements.Add(l => l.ContainsKey(raw));
            }
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.TrueForAll(r => r(labels));
}
