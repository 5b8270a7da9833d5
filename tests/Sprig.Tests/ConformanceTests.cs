using System.Text.Json;
using Lookout.Templates;
using Lookout.Values;
using Xunit.Abstractions;

namespace Lookout.Sprig.Tests;

/// <summary>
/// Every case of tests/conformance/sprig-cases.jsonl, whose answers came from Sprig v3.3.0 on Go's text/template
/// with the process's local zone being UTC.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private const int CaseCount = 3000;

    /// <summary>
    /// Cases that still disagree, each with its reason (none today). The test fails when one of these starts to agree,
    /// so the list cannot go stale.
    /// </summary>
    private static readonly Dictionary<int, string> KnownDisagreements = [];

    [Fact]
    public void SprigCases_AgreeWithSprig_SaveTheListedOnes()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "sprig-cases.jsonl"));
        var options = new TemplateOptions { Functions = SprigFunctions.Create(new UtcClock()) };
        var disagreements = new List<string>();
        foreach ((string line, int index) in lines.Select((l, i) => (l, i)))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            string template = root.GetProperty("template").GetString()!;
            JsonElement data = root.GetProperty("data");
            JsonElement expect = root.GetProperty("expect");
            string? ours;
            string? error = null;
            try
            {
                ours = GoTemplate.Parse("t", template, options).Execute(ObjectModel.FromJsonElement(data));
            }
            catch (TemplateException ex)
            {
                ours = null;
                error = ex.Message;
            }

            bool agrees = expect.TryGetProperty("ok", out JsonElement ok) ? ours == ok.GetString() : ours is null;
            if (KnownDisagreements.ContainsKey(index + 1))
            {
                if (agrees)
                {
                    disagreements.Add($"case {index + 1} now agrees: remove it from KnownDisagreements");
                }

                continue;
            }

            if (!agrees)
            {
                disagreements.Add(
                    $"case {index + 1}: {JsonSerializer.Serialize(template)}\n  data {data.GetRawText()}\n  expected {expect.GetRawText()}\n" +
                    $"  got {(ours is null ? "error " + JsonSerializer.Serialize(error) : JsonSerializer.Serialize(new { ok = ours }))}");
            }
        }

        output.WriteLine($"{lines.Length - disagreements.Count - KnownDisagreements.Count} of {lines.Length} cases agree; {KnownDisagreements.Count} listed as known");
        foreach (string d in disagreements)
        {
            output.WriteLine(d);
        }

        Assert.Equal(CaseCount, lines.Length);
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {lines.Length} cases disagree:\n{string.Join("\n", disagreements.Take(30))}");
    }

    /// <summary>The system clock with Go's local zone being UTC, as where the answers were produced.</summary>
    private sealed class UtcClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
