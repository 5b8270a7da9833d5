namespace Lookout.Notifications.Subscriptions;

/// <summary>
/// A Kubernetes label selector as <c>labels.Parse</c> reads it: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>,
/// <c>a in (x,y)</c>, <c>a notin (x,y)</c>, <c>a</c>, <c>!a</c>, joined by commas. The empty selector matches everything.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements;

    private LabelSelector(string text, List<Func<IReadOnlyDictionary<string, string>, bool>> requirements)
    {
        Text = text;
        this.requirements = requirements;
    }

    /// <summary>The selector's text.</summary>
    public string Text { get; }

    /// <summary>Parses a selector.</summary>
    /// <exception cref="FormatException">The selector is malformed; the message names the requirement.</exception>
    public static LabelSelector Parse(string? text)
    {
        text ??= string.Empty;
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (string raw in SplitRequirements(text))
        {
            requirements.Add(ParseRequirement(raw));
        }

        return new LabelSelector(text, requirements);
    }

    /// <summary>Whether the labels satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.TrueForAll(r => r(labels));

    private static IEnumerable<string> SplitRequirements(string text)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                string part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string raw)
    {
        string[] words = raw.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && (words[1] == "in" || words[1].StartsWith("in(", StringComparison.Ordinal) || words[1] == "notin" || words[1].StartsWith("notin(", StringComparison.Ordinal)))
        {
            string key = words[0];
            bool negate = words[1].StartsWith("notin", StringComparison.Ordinal);
            string rest = raw[(raw.IndexOf(words[1], key.Length, StringComparison.Ordinal) + (negate ? 5 : 2))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw new FormatException($"label selector requirement '{raw}': expected a parenthesised value list");
            }

            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return negate
                ? l => !l.TryGetValue(key, out string? v) || !values.Contains(v)
                : l => l.TryGetValue(key, out string? v) && values.Contains(v);
        }

        int ne = raw.IndexOf("!=", StringComparison.Ordinal);
        int eq = raw.IndexOf('=', StringComparison.Ordinal);
        if (ne > 0)
        {
            string key = Checked(raw[..ne].Trim(), raw);
            string value = raw[(ne + 2)..].Trim();
            return l => !l.TryGetValue(key, out string? v) || v != value;
        }

        if (eq > 0)
        {
            string key = Checked(raw[..eq].Trim(), raw);
            string value = raw[(eq + 1)..].TrimStart('=').Trim();
            return l => l.TryGetValue(key, out string? v) && v == value;
        }

        if (raw.StartsWith('!'))
        {
            string key = Checked(raw[1..].Trim(), raw);
            return l => !l.ContainsKey(key);
        }

        string exists = Checked(raw, raw);
        return l => l.ContainsKey(exists);
    }

    private static string Checked(string key, string raw)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new FormatException($"label selector requirement '{raw}': invalid label key '{key}'");
        }

        return key;
    }
}
