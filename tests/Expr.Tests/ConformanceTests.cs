using System.Text.Json;
using Lookout.Lang;
using Xunit.Abstractions;

namespace Lookout.Expr.Tests;

/// <summary>Every case of tests/conformance/expr-cases.jsonl, whose answers came from expr-lang v1.17.8.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void ExprCases_AllAgreeWithExprLang()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "expr-cases.jsonl"));
        var disagreements = new List<string>();
        foreach ((string line, int index) in lines.Select((l, i) => (l, i)))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement expect = doc.RootElement.GetProperty("expect");
            string ours = ExprEvalCommand.Evaluate(line, index + 1);
            using JsonDocument result = JsonDocument.Parse(ours);
            bool agrees = expect.TryGetProperty("ok", out JsonElement ok)
                ? result.RootElement.TryGetProperty("ok", out JsonElement value) && JsonValuesEqual(ok, value)
                : result.RootElement.TryGetProperty("err", out _);
            if (!agrees)
            {
                string typed = doc.RootElement.TryGetProperty("typed", out _) ? " (typed)" : string.Empty;
                disagreements.Add($"case {index + 1}{typed}: {doc.RootElement.GetProperty("expr").GetString()}\n  expected {expect.GetRawText()}\n  got {ours}");
            }
        }

        double agreement = 1 - ((double)disagreements.Count / lines.Length);
        output.WriteLine($"{lines.Length - disagreements.Count} of {lines.Length} cases agree ({agreement:P2})");
        foreach (string d in disagreements)
        {
            output.WriteLine(d);
        }

        Assert.Equal(4937, lines.Length);
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n{string.Join("\n", disagreements.Take(30))}");
    }

    /// <summary>JSON equality where 1 and 1.0 are the same number and object keys are unordered.</summary>
    internal static bool JsonValuesEqual(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return a.GetDouble() == b.GetDouble();
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonValuesEqual(p.First, p.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out JsonElement v) && JsonValuesEqual(kv.Value, v));
            default:
                return true;
        }
    }
}
