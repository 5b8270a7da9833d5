using Lookout.Lang;

namespace Lookout.Expr.Tests;

/// <summary><c>notifier expr eval</c>: one JSON answer per JSON line, bad lines answered and counted.</summary>
public sealed class ExprEvalCommandTests
{
    [Fact]
    public async Task AnswersEachLine_AndFlagsLinesThatAreNotJson()
    {
        string input = string.Join('\n',
            """{"expr": "n * 2", "env": {"n": 21}}""",
            string.Empty,
            """{"expr": "1 / 0"}""",
            """{"expr": "x > 1", "env": {}, "typed": true}""",
            "not json",
            """{"expr": "time.Parse('2026-11-24T10:00:00Z').Hour()", "argo": true}""",
            """{"env": {}}""");
        using var output = new StringWriter();
        int status = await ExprEvalCommand.RunAsync(new StringReader(input), output, CancellationToken.None);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, status);
        Assert.Equal(6, lines.Length);
        Assert.Equal("{\"ok\":42}", lines[0]);
        Assert.Equal("{\"ok\":\"+Inf\"}", lines[1]);
        Assert.Contains("unknown name x", lines[2], StringComparison.Ordinal);
        Assert.Contains("line 5: not a JSON case", lines[3], StringComparison.Ordinal);
        Assert.Equal("{\"ok\":10}", lines[4]);
        Assert.Contains("\\\"expr\\\" (a string) is required", lines[5], StringComparison.Ordinal);
    }
}
