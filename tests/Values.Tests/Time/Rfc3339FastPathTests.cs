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
