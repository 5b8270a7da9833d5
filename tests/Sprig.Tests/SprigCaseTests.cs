using System.Text.Json;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Sprig.Tests;

/// <summary>A case table per Sprig family; expected texts and errors came from Masterminds/sprig 3.2.3 on Go 1.19.</summary>
public sealed class SprigCaseTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "sprig-cases.json"))).RootElement;

    private static readonly TemplateOptions Options = new() { Functions = SprigFunctions.Create() };

    public static TheoryData<string> Names() => [.. Cases.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Renders_AsSprigDoes(string name)
    {
        JsonElement c = Cases.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        object? data = ObjectModel.FromJsonElement(Cases.GetProperty("data"));
        GoTemplate template = GoTemplate.Parse("t", c.GetProperty("template").GetString()!, Options);
        if (c.TryGetProperty("expect", out JsonElement expect))
        {
            Assert.Equal(expect.GetString(), template.Execute(data));
        }
        else
        {
            var ex = Assert.Throws<TemplateExecException>(() => template.Execute(data));
            string goError = c.GetProperty("goError").GetString()!;
            string reason = goError[(goError.LastIndexOf(">: ", StringComparison.Ordinal) + 3)..];
            Assert.EndsWith(reason, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EnvAndExpandenv_AreNotAvailable_AsInNotificationsEngine()
    {
        IReadOnlyDictionary<string, GoFunction> functions = SprigFunctions.Create();
        Assert.False(functions.ContainsKey("env"));
        Assert.False(functions.ContainsKey("expandenv"));
        Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("t", "{{ env \"HOME\" }}", Options));
    }

    [Fact]
    public void Now_AndAgo_UseTheInjectedClock()
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 3, 5, 12, 0, 0, TimeSpan.Zero));
        var options = new TemplateOptions { Functions = SprigFunctions.Create(clock) };
        Assert.Equal("2024-03-05", GoTemplate.Parse("t", "{{ htmlDateInZone now \"UTC\" }}", options).Execute(null));
        Assert.Equal("1h0m0s", GoTemplate.Parse("t", "{{ ago .t }}", options).Execute(new ObjectMap { ["t"] = new Lookout.Values.Time.GoTime(clock.GetUtcNow().AddHours(-1), Lookout.Values.Time.GoLocation.Utc) }));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
