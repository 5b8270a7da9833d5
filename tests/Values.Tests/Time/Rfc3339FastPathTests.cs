using Lookout.Values.Time;

namespace Lookout.Values.Tests.Time;

/// <summary>Kubernetes timestamps take a short path through Parse; it must agree with the general one.</summary>
public sealed class Rfc3339FastPathTests
{
    [Theory]
    [InlineData("2026-11-24T10:01:30Z")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void KubernetesTimestamps_ParseAsTheGeneralLayoutDoes(string value)
    {
        GoTime fast = GoTime.Parse(GoLayouts.RFC3339, value);
        GoTime general = GoTime.Parse("2006-01-02T15:04:05Z07:00 ", value + " ");
        Assert.Equal(general, fast);
        Assert.Equal("UTC", fast.Location.Name);
        Assert.Equal(value, fast.Format(GoLayouts.RFC3339));
    }

    [Theory]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-11-24T24:00:00Z")]
    [InlineData("2026-11-24T10:01:3xZ")]
    public void InvalidTimestamps_FailWithGosMessage(string value)
    {
        var ex = Assert.Throws<GoFunctionException>(() => GoTime.Parse(GoLayouts.RFC3339, value));
        Assert.StartsWith($"parsing time \"{value}\"", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary><see cref="GoTime.TryParseRfc3339Ticks"/> reads a subset of RFC 3339; whatever it reads, it reads as Parse does.</summary>
public sealed class Rfc3339TicksTests
{
    public static TheoryData<string> Common() =>
    [
        "2026-11-24T10:01:30Z",
        "2026-11-24T10:01:30.5Z",
        "2026-11-24T10:01:30.123456789Z",
        "2026-11-24T10:01:30+05:30",
        "2026-11-24T10:01:30.000000001-08:00",
        "2024-02-29T23:59:59+13:59",
    ];

    [Theory]
    [MemberData(nameof(Common))]
    public void CommonForms_AreRead_AsParseReadsThem(string value)
    {
        Assert.True(GoTime.TryParseRfc3339Ticks(value, out long ticks));
        Assert.Equal(General(value).Instant.UtcTicks, ticks);
    }

    [Theory]
    [InlineData("2026-02-29T00:00:00Z")] // not a leap year
    [InlineData("2026-11-31T00:00:00Z")]
    [InlineData("2026-11-24T24:00:00Z")]
    [InlineData("2026-11-24T10:60:00Z")]
    [InlineData("2026-11-24T10:01:60Z")]
    [InlineData("2026-11-24t10:01:30Z")]
    [InlineData("2026-11-24T10:01:30z")]
    [InlineData("2026-11-24T10:01:30")]
    [InlineData("2026-11-24T10:01:30.Z")]
    [InlineData("2026-11-24T10:01:30.1234567891Z")]
    [InlineData("2026-11-24T10:01:30+14:00")]
    [InlineData("2026-11-24T10:01:30+0530")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2026-11-24 10:01:30Z")]
    [InlineData("")]
    public void OtherForms_AreLeftToParse(string value) =>
        Assert.False(GoTime.TryParseRfc3339Ticks(value, out _));

    [Fact]
    public void GeneratedTimestamps_AgreeWithParse()
    {
        var random = new Random(20261124);
        int read = 0;
        for (int n = 0; n < 20_000; n++)
        {
            string value = Generate(random);
            if (!GoTime.TryParseRfc3339Ticks(value, out long ticks))
            {
                continue;
            }

            read++;
            GoTime general;
            try
            {
                general = General(value);
            }
            catch (GoFunctionException ex)
            {
                Assert.Fail($"{value}: read as {ticks} ticks, but Parse rejects it: {ex.Message}");
                return;
            }

            Assert.True(general.Instant.UtcTicks == ticks, $"{value}: {ticks} ticks, Parse says {general.Instant.UtcTicks}");
        }

        Assert.InRange(read, 5_000, 20_000);
    }

    // The same layout with a trailing space takes Parse's general machinery.
    private static GoTime General(string value) => GoTime.Parse(GoLayouts.RFC3339 + " ", value + " ");

    private static string Generate(Random r)
    {
        string Two(int max) => r.Next(0, max).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        string year = r.Next(0, 10) == 0 ? r.Next(0, 10000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture) : r.Next(1990, 2100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string fraction = r.Next(0, 3) switch
        {
            0 => string.Empty,
            _ => "." + new string([.. Enumerable.Range(0, r.Next(0, 11)).Select(_ => (char)('0' + r.Next(0, 10)))]),
        };
        string zone = r.Next(0, 3) switch
        {
            0 => "Z",
            1 => (r.Next(0, 2) == 0 ? "+" : "-") + Two(25) + ":" + Two(61),
            _ => r.Next(0, 4) == 0 ? "z" : "Z",
        };
        return $"{year}-{Two(14)}-{Two(33)}T{Two(25)}:{Two(61)}:{Two(61)}{fraction}{zone}";
    }
}
