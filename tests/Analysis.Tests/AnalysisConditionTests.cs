using Lookout.Analysis.Assessment;
using Lookout.Expr;

namespace Lookout.Analysis.Tests;

/// <summary>Argo Rollouts' successCondition/failureCondition environment and its typed compilation.</summary>
public sealed class AnalysisConditionTests
{
    private const string Source = "metric success-rate successCondition";
    private readonly AnalysisConditions conditions = new();

    [Theory]
    [InlineData("result[0] >= 0.95", true)]
    [InlineData("len(result) > 0 && result[0] < 0.5", false)]
    [InlineData("all(result, {# > 0.9})", true)]
    public void ListResults_FromPrometheus(string condition, bool expected) =>
        Assert.Equal(expected, conditions.Evaluate(new List<object?> { 0.99, 0.97 }, condition, Source));

    [Theory]
    [InlineData("asFloat(result) >= 0.95", "0.96", true)]
    [InlineData("asInt(result) == 200", "200", true)]
    [InlineData("result == 'ok'", "ok", true)]
    public void StringResults_FromWebMetrics(string condition, string result, bool expected) =>
        Assert.Equal(expected, conditions.Evaluate(result, condition, Source));

    [Fact]
    public void NumberHelpers()
    {
        Assert.True(conditions.Evaluate(double.NaN, "isNaN(result)", Source));
        Assert.True(conditions.Evaluate(double.PositiveInfinity, "isInf(result)", Source));
        Assert.True(conditions.Evaluate(null, "isNil(result)", Source));
        Assert.True(conditions.Evaluate(null, "default(result, 0) == 0", Source));
        Assert.True(conditions.Evaluate(5L, "default(result, 0) == 5", Source));
    }

    [Fact]
    public void TypedCompilation_RejectsUnknownNamesAndMismatchedTypes()
    {
        Assert.Contains("unknown name resutl", Assert.Throws<ExprException>(() => conditions.Evaluate(1.0, "resutl > 0", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("mismatched types", Assert.Throws<ExprException>(() => conditions.Evaluate("x", "result > 1", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("expected bool", Assert.Throws<ExprException>(() => conditions.Evaluate(1.0, "result + 1", Source)).Message, StringComparison.Ordinal);
        Assert.Contains("invalid syntax", Assert.Throws<ExprException>(() => conditions.Evaluate("abc", "asInt(result) > 1", Source)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_CompileOncePerResultType_NotPerMeasurement()
    {
        var cache = new AnalysisConditions();
        for (int i = 0; i < 50; i++)
        {
            cache.Evaluate(new List<object?> { 0.01 * i }, "result[0] < 0.5", Source);
            cache.Evaluate(0.01 * i, "result < 0.5", Source);
        }

        Assert.Equal(2, cache.CompiledCount);
    }

    [Fact]
    public void AVector_ComparedWithANumber_IsRejectedAsInArgo()
    {
        var ex = Assert.Throws<ExprException>(() => conditions.Evaluate(new List<object?> { 0.01 }, "result < 0.05", Source));
        Assert.Contains("mismatched types", ex.Reason, StringComparison.Ordinal);
    }
}
