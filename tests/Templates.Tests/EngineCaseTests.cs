using System.Text.Json;
using Lookout.Values;

namespace Lookout.Templates.Tests;

/// <summary>Hand-picked constructs, printf verbs and errors; the expected texts were produced by Go's text/template.</summary>
public sealed class EngineCaseTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "engine-cases.json"))).RootElement;

    private static readonly object? Data = ObjectModel.FromJsonElement(Cases.GetProperty("data"));

    public static TheoryData<string> OkCases() => [.. Cases.GetProperty("ok").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> ErrorCases() => [.. Cases.GetProperty("err").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Case(string kind, string name) =>
        Cases.GetProperty(kind).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(OkCases))]
    public void Renders_AsGoDoes(string name)
    {
        JsonElement c = Case("ok", name);
        string rendered = GoTemplate.Parse("t", c.GetProperty("template").GetString()!).Execute(Data);
        Assert.Equal(c.GetProperty("expect").GetString(), rendered);
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Fails_AsGoDoes_WithThePosition(string name)
    {
        JsonElement c = Case("err", name);
        TemplateException ex = Assert.ThrowsAny<TemplateException>(() => GoTemplate.Parse("t", c.GetProperty("template").GetString()!).Execute(Data));
        Assert.Matches(@"^template: t:\d+:\d+: ", ex.Message);
    }
}
