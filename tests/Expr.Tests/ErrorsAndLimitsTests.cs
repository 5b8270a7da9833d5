using Lookout.Values;

namespace Lookout.Expr.Tests;

/// <summary>Errors name where an expression came from and point at the token; evaluation is bounded.</summary>
public sealed class ErrorsAndLimitsTests
{
    private const string Source = "argocd-notifications-cm trigger.on-deployed[0].when";

    [Fact]
    public void SyntaxError_NamesSourceLineColumnAndCaret()
    {
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile("app.status != nil and\n  app.status.phase in ['A',", new ExprOptions { Source = Source }));
        Assert.Equal(2, ex.Line);
        Assert.Equal(28, ex.Column);
        Assert.StartsWith(Source + ": unexpected token EOF (line 2, column 28)", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("\n |   app.status.phase in ['A',\n | " + new string('.', 27) + "^", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeError_PointsAtTheOperator()
    {
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile("len(app.metadata.name) + 'x'", new ExprOptions { Source = Source }));
        Assert.Equal(1, ex.Line);
        Assert.Equal(24, ex.Column);
        Assert.Contains("invalid operation: + (mismatched types int and string)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownName_InTypedMode_IsACompileError()
    {
        var env = new ObjectMap { ["result"] = 1.0 };
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile("results > 0.9", new ExprOptions { Source = "AnalysisTemplate success-rate", Env = env }));
        Assert.Contains("unknown name results", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Column);
    }

    [Fact]
    public void RuntimeError_NamesThePositionOfTheFailingAccess()
    {
        var program = ExprProgram.Compile("app.status.operationState.phase == 'Failed'", new ExprOptions { Source = Source });
        var env = new ObjectMap { ["app"] = new ObjectMap { ["status"] = new ObjectMap() } };
        var ex = Assert.Throws<ExprException>(() => program.Run(env));
        Assert.Contains("cannot fetch phase from <nil>", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(Source, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunBool_RefusesANonBooleanResult()
    {
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile("app.metadata.name").RunBool(new ObjectMap { ["app"] = new ObjectMap { ["metadata"] = new ObjectMap { ["name"] = "x" } } }));
        Assert.Contains("expected bool, but got string", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repeat('abc', 400000)")]
    [InlineData("repeat('a', 2000000)")]
    [InlineData("1..2000000")]
    [InlineData("map(1..1000, map(1..1000, #))")]
    [InlineData("len(map(1..1000, {repeat('x', 1000)}))")]
    public void MemoryBudget_StopsHugeValues(string expression)
    {
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(expression).Run(null));
        Assert.Contains("memory budget exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StepBudget_StopsLongLoops()
    {
        var program = ExprProgram.Compile("reduce(1..900, reduce(1..900, #acc + 1, 0), 0)", new ExprOptions { StepBudget = 100_000 });
        var ex = Assert.Throws<ExprException>(() => program.Run(null));
        Assert.Contains("evaluation budget exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeBudget_StopsSlowEvaluations()
    {
        var program = ExprProgram.Compile("all(1..900, {all(1..900, {# > 0})})", new ExprOptions { TimeBudget = TimeSpan.Zero });
        var ex = Assert.Throws<ExprException>(() => program.Run(null));
        Assert.Contains("time budget exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CatastrophicRegex_RunsInLinearTime()
    {
        var program = ExprProgram.Compile("s matches '^(a+)+$'");
        var env = new ObjectMap { ["s"] = new string('a', 50_000) + "!" };
        // A backtracking engine would run out of its time budget and fail; the linear one answers as RE2 does.
        Assert.Equal(false, program.Run(env));
    }

    [Fact]
    public void DeepNesting_IsRefusedWithAClearError()
    {
        string deep = new string('(', 5000) + "1" + new string(')', 5000);
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(deep));
        Assert.Contains("nested too deeply", ex.Message, StringComparison.Ordinal);

        string longChain = "1" + string.Concat(Enumerable.Repeat(" + 1", 3000));
        ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(longChain));
        Assert.Contains("nested too deeply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongButShallowExpressions_StillWork()
    {
        string chain = "1" + string.Concat(Enumerable.Repeat(" + 1", 900));
        Assert.Equal(901L, ExprProgram.Compile(chain).Run(null));
        string manyNodes = "[" + string.Join(", ", Enumerable.Range(0, 3000)) + "] | sum()";
        Assert.Equal(4_498_500L, ExprProgram.Compile(manyNodes).Run(null));
    }

    [Fact]
    public void TooManyNodes_IsRefused()
    {
        string huge = "[" + string.Join(", ", Enumerable.Range(0, 12_000)) + "]";
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(huge));
        Assert.Contains("exceeds maximum allowed nodes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingExpression_LeavesOtherProgramsWorking()
    {
        var bad = ExprProgram.Compile("nothing.field");
        var good = ExprProgram.Compile("1 + 1");
        Assert.Throws<ExprException>(() => bad.Run(null));
        Assert.Equal(2L, good.Run(null));
    }
}
