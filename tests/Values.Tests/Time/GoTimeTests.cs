using System.Text.Json;
using Lookout.Values.Time;

namespace Lookout.Values.Tests.Time;

/// <summary>Go's time formatting, parsing and durations; expected values were printed by Go 1.19 (go-time-cases.json).</summary>
public sealed class GoTimeTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Time", "go-time-cases.json"))).RootElement;

    private static readonly GoTime Reference = new(new DateTimeOffset(2024, 3, 5, 14, 7, 9, TimeSpan.Zero).AddTicks(1234567), GoLocation.Utc);

    public static TheoryData<string> Layouts() => [.. Cases.GetProperty("formats").EnumerateArray().Select(c => c.GetProperty("layout").GetString()!).Distinct()];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Format_MatchesGo_InUtcAndAtAnOffset(string layout)
    {
        JsonElement c = Cases.GetProperty("formats").EnumerateArray().First(x => x.GetProperty("layout").GetString() == layout);
        Assert.Equal(c.GetProperty("utc").GetString(), Reference.Format(layout));
        GoTime shifted = Reference.In(GoLocation.Fixed(string.Empty, new TimeSpan(5, 30, 0)));
        Assert.Equal(c.GetProperty("offset").GetString(), shifted.Format(layout));
    }

    [Fact]
    public void String_MatchesGo()
    {
        Assert.Equal(Cases.GetProperty("string").GetString(), Reference.ToString());
        Assert.Equal(Cases.GetProperty("stringOffset").GetString(), Reference.In(GoLocation.Fixed(string.Empty, new TimeSpan(5, 30, 0))).ToString());
    }

    [Fact]
    public void DurationString_MatchesGo()
    {
        foreach (JsonElement c in Cases.GetProperty("durations").EnumerateArray())
        {
            Assert.Equal(c.GetProperty("s").GetString(), new GoDuration(c.GetProperty("ns").GetInt64()).ToString());
        }
    }

    [Fact]
    public void ParseRfc3339_MatchesGo_IncludingErrors()
    {
        foreach (JsonElement c in Cases.GetProperty("parses").EnumerateArray())
        {
            string input = c.GetProperty("in").GetString()!;
            if (c.TryGetProperty("err", out _))
            {
                Assert.Throws<GoFunctionException>(() => GoTime.Parse(GoLayouts.RFC3339, input));
                continue;
            }

            GoTime t = GoTime.Parse(GoLayouts.RFC3339, input);
            Assert.Equal(c.GetProperty("out").GetString(), t.ToString());
            Assert.Equal(c.GetProperty("unix").GetString(), t.Unix().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void ParseDuration_MatchesGo_IncludingErrors()
    {
        foreach (JsonElement c in Cases.GetProperty("parseDurations").EnumerateArray())
        {
            string input = c.GetProperty("in").GetString()!;
            if (c.TryGetProperty("err", out JsonElement err))
            {
                var ex = Assert.Throws<GoFunctionException>(() => GoDuration.Parse(input));
                Assert.Equal(err.GetString(), ex.Message);
                continue;
            }

            Assert.Equal(long.Parse(c.GetProperty("out").GetString()!, System.Globalization.CultureInfo.InvariantCulture), GoDuration.Parse(input).Nanoseconds);
        }
    }

    [Fact]
    public void Methods_AreReachableByName()
    {
        GoTime later = Reference.Add(new GoDuration(GoDuration.Hour));
        Assert.True(Reference.TryGetMethod("Before", out GoFunction? before));
        Assert.Equal(true, before.Call(later));
        Assert.True(later.TryGetMethod("Sub", out GoFunction? sub));
        Assert.Equal("1h0m0s", sub.Call(Reference)!.ToString());
        Assert.True(new GoDuration(90 * GoDuration.Minute).TryGetMethod("Hours", out GoFunction? hours));
        Assert.Equal(1.5, hours.Call());
    }

    [Fact]
    public void Add_BeyondYear9999_FailsClearly_InsteadOfCrashing()
    {
        GoTime last = GoTime.Parse(GoLayouts.RFC3339, "9999-12-31T23:00:00Z");
        var ex = Assert.Throws<GoFunctionException>(() => last.Add(new GoDuration(GoDuration.Hour * 2)));
        Assert.Contains("outside the years 1 to 9999", ex.Message, StringComparison.Ordinal);
        Assert.Equal("9999-12-31T23:59:59Z", last.Add(new GoDuration(GoDuration.Minute * 59 + GoDuration.Second * 59)).Format(GoLayouts.RFC3339));
        Assert.Throws<GoFunctionException>(() => GoTime.Zero.Add(new GoDuration(-100)));
    }
}
