namespace Lookout.Expr.Tests;

/// <summary>Argo Rollouts' successCondition/failureCondition environment and its typed compilation.</summary>
public sealed class AnalysisConditionTests
{
    private const string Source = "AnalysisTemplate success-rate metric success-rate successCondition";

    [Theory]
    [InlineData("result[0] >= 0.95", true)]
    [InlineData("len(result) > 0 && result[0] < 0.5", false)]
    [InlineData("all(result, {# > 0.9})", true)]
    public void ListResults_FromPrometheus(string condition, bool expected) =>
        Assert.Equal(expected, AnalysisConditions.Evaluate(new List<object?> { 0.99, 0.97 }, condition, Source));

    [Theory]
    [InlineData("asFloat(result) >= 0.95", "0.96", true)]
    [InlineData("asInt(result) == 200", "200", true)]
    [InlineData("result == 'ok'", "ok", true)]
    public void StringResults_FromWebMetrics(string condition, string result, bool expected) =>
        Assert.Equal(expected, AnalysisConditions.Evaluate(result, condition, Source));

    [Fact]
    public void NumberHelpers()
    {
        Assert.True(AnalysisConditions.Evaluate(double.NaN, "isNaN(result)", Source));
        Assert.True(AnalysisConditions.Evaluate(double.PositiveInfinity, "isInf(result)", Source));
        Assert.True(AnalysisConditions.Evaluate(null, "isNil(result)", Source));
        Assert.True(AnalysisConditions.Evaluate(null, "default(result, 0) == 0", Source));
        Assert.True(AnalysisConditions.Evaluate(5L, "default(result, 0) == 5", Source));
    }

    [Fact]
    public void IndexingAnEmptyResult_SaysWhatToDo()
    {
        var ex = Assert.Throws<ExprException>(() => AnalysisConditions.Evaluate(new List<object?>(), "result[0] > 0.9", Source));
        Assert.Contains("guard the condition with len(result) > 0", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(Source, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedCompilation_RejectsUnknownNamesAndMismatchedTypes()
    {
        Assert.Contains("unknown name resutl", Assert.Throws<ExprException>(() => AnalysisConditions.Evaluate(1.0, "resutl > 0", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("mismatched types", Assert.Throws<ExprException>(() => AnalysisConditions.Evaluate("x", "result > 1", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("expected bool", Assert.Throws<ExprException>(() => AnalysisConditions.Evaluate(1.0, "result + 1", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("invalid syntax", Assert.Throws<ExprException>(() => AnalysisConditions.Evaluate("abc", "asInt(result) > 1", Source)).Message, StringComparison.Ordinal);
    }
}
