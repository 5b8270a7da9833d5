using System.Text.Json;
using Lookout.Lang;
using Xunit.Abstractions;

namespace Lookout.Templates.Tests;

/// <summary>Every case of tests/conformance/template-cases.jsonl, whose answers came from Go's text/template.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void TemplateCases_AllAgreeWithGo()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "template-cases.jsonl"));
        var disagreements = new List<string>();
        foreach ((string line, int index) in lines.Select((l, i) => (l, i)))
        {
            // Through the conformance tool, so a case's options (missingkey, sprig, argo) are honoured as they were in Go.
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement expect = doc.RootElement.GetProperty("expect");
            string ours = TemplateRenderCommand.Render(line, index + 1);
            using JsonDocument result = JsonDocument.Parse(ours);
            bool agrees = expect.TryGetProperty("ok", out JsonElement ok)
                ? result.RootElement.TryGetProperty("ok", out JsonElement text) && text.GetString() == ok.GetString()
                : result.RootElement.TryGetProperty("err", out _);
            if (!agrees)
            {
                string options = doc.RootElement.TryGetProperty("missingkey", out JsonElement mk) ? $" (missingkey={mk.GetString()})" : string.Empty;
                disagreements.Add($"case {index + 1}{options}: {doc.RootElement.GetProperty("template").GetString()}\n  expected {expect.GetRawText()}\n  got {ours}");
            }
        }

        double agreement = 1 - ((double)disagreements.Count / lines.Length);
        output.WriteLine($"{lines.Length - disagreements.Count} of {lines.Length} cases agree ({agreement:P2})");
        foreach (string d in disagreements)
        {
            output.WriteLine(d);
        }

        Assert.Equal(4000, lines.Length);
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n{string.Join("\n", disagreements.Take(20))}");
    }
}
