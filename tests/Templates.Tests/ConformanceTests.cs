using System.Text.Json;
using Lookout.Values;
using Xunit.Abstractions;

namespace Lookout.Templates.Tests;

/// <summary>Every case of tests/conformance/template-cases.jsonl, whose answers came from Go's text/template.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void TemplateCases_AgreeWithGo_AtLeast995PerMille()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "template-cases.jsonl"));
        var disagreements = new List<string>();
        foreach ((string line, int index) in lines.Select((l, i) => (l, i)))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            string template = root.GetProperty("template").GetString()!;
            object? data = ObjectModel.FromJsonElement(root.GetProperty("data"));
            JsonElement expect = root.GetProperty("expect");
            string? ours;
            string? error = null;
            try
            {
                ours = GoTemplate.Parse("t", template).Execute(data);
            }
            catch (TemplateException ex)
            {
                ours = null;
                error = ex.Message;
            }

            bool agrees = expect.TryGetProperty("ok", out JsonElement ok) ? ours == ok.GetString() : ours is null;
            if (!agrees)
            {
                disagreements.Add($"case {index + 1}: {template}\n  expected {expect.GetRawText()}\n  got {(ours is null ? "error " + error : JsonSerializer.Serialize(ours))}");
            }
        }

        double agreement = 1 - ((double)disagreements.Count / lines.Length);
        output.WriteLine($"{lines.Length - disagreements.Count} of {lines.Length} cases agree ({agreement:P2})");
        foreach (string d in disagreements)
        {
            output.WriteLine(d);
        }

        Assert.True(lines.Length >= 4000, "the conformance file is incomplete");
        Assert.True(agreement >= 0.995, $"{disagreements.Count} disagreements:\n{string.Join("\n", disagreements.Take(20))}");
    }
}
