using Lookout.Values.Time;

namespace Lookout.Expr.Tests;

public sealed class ClockTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Now_ReadsTheOptionsClock()
    {
        var at = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var program = ExprProgram.Compile("now()", new ExprOptions { TimeProvider = new FixedClock(at) });
        var result = Assert.IsType<GoTime>(program.Run(null));
        Assert.Equal(at, result.Instant);
    }

    [Fact]
    public void Matches_RegexThatGoRejects_IsAnExprErrorWithPosition()
    {
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile("'ab' matches 'a(?=b)'"));
        Assert.Contains("error parsing regexp: invalid or unsupported Perl syntax", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Matches_NamedGroupInGoSpelling_Works() =>
        Assert.True(ExprProgram.Compile("'v1.2' matches '^v(?P<major>[[:digit:]]+)'").RunBool(null));
}
