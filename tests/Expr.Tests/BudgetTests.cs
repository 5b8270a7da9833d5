using Lookout.Values;

namespace Lookout.Expr.Tests;

/// <summary>The evaluation budget shared with templates: strings built, deep values walked, as ExprException.</summary>
public sealed class BudgetTests
{
    [Theory]
    [InlineData("reduce(1..40, #acc + #acc, 'x')", "evaluation memory budget exceeded")]
    [InlineData("reduce(1..40, upper(#acc + #acc), 'x')", "evaluation memory budget exceeded")]
    [InlineData("reduce(1..40, join([#acc, #acc]), 'x')", "evaluation memory budget exceeded")]
    [InlineData("let x = reduce(1..5000, [#acc], []); x == x", "comparing values: nested deeper than the limit of 1000 levels")]
    [InlineData("let x = reduce(1..5000, [#acc], []); toJSON(x)", "encoding JSON: nested deeper than the limit of 1000 levels")]
    [InlineData("let x = reduce(1..5000, [#acc], []); string(x)", "printing a value: nested deeper than the limit of 1000 levels")]
    [InlineData("len(toJSON(reduce(1..200, [#acc, #acc], 1)))", "budget exceeded")]
    [InlineData("fromJSON(toJSON(reduce(1..500, [#acc, #acc], 1)))", "evaluation memory budget exceeded: more than 4000000 elements and characters (EvaluationLimits.MaxAllocation)")]
    [InlineData("len(string(reduce(1..500, [#acc, #acc], repeat('x', 1000))))", "evaluation memory budget exceeded: more than 4000000 elements and characters (EvaluationLimits.MaxAllocation)")]
    public void HostileEvaluations_EndInAnExprException(string expression, string error)
    {
        // The time limit is out of the way (a loaded machine would reach it first); each case asserts another limit.
        var options = new ExprOptions { Limits = new EvaluationLimits { MaxTime = TimeSpan.FromMinutes(5) } };
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(expression, options).Run(null));
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLimits_AreSettings()
    {
        var program = ExprProgram.Compile("s + s", new ExprOptions { Limits = new EvaluationLimits { MaxAllocation = 10 } });
        Assert.Equal("abcdeabcde", program.Run(new ObjectMap { ["s"] = "abcde" }));
        Assert.Throws<ExprException>(() => program.Run(new ObjectMap { ["s"] = "abcdef" }));
    }

    [Fact]
    public void ALongLineInAnError_IsShownAroundThePosition()
    {
        string deep = new string('(', 100_000) + "1" + new string(')', 100_000);
        var ex = Assert.Throws<ExprException>(() => ExprProgram.Compile(deep));
        Assert.True(ex.Message.Length < 400, ex.Message);
        Assert.Contains("nested too deeply", ex.Message, StringComparison.Ordinal);
    }
}
