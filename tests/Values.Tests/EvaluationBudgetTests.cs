namespace Lookout.Values.Tests;

public sealed class EvaluationBudgetTests
{
    [Fact]
    public void Allocation_IsRefusedBeforeItPassesTheLimit()
    {
        var budget = new EvaluationBudget(new EvaluationLimits { MaxAllocation = 100 });
        budget.Allocate(60);
        var ex = Assert.Throws<EvaluationLimitException>(() => budget.Allocate(41));
        Assert.Equal(EvaluationLimit.Allocation, ex.Limit);
        Assert.Equal(60, budget.Allocated);
        budget.Allocate(40);
    }

    [Fact]
    public void Charge_GoesToTheCurrentBudget_AndOutsideOneChecksTheCallAlone()
    {
        var budget = new EvaluationBudget(new EvaluationLimits { MaxAllocation = 10 });
        EvaluationBudget? outer = budget.Enter();
        try
        {
            Assert.Same(budget, EvaluationBudget.Current);
            EvaluationBudget.Charge(10);
            Assert.Throws<EvaluationLimitException>(() => EvaluationBudget.Charge(1));
        }
        finally
        {
            EvaluationBudget.Exit(outer);
        }

        Assert.Null(EvaluationBudget.Current);
        EvaluationBudget.Charge(1000);
        Assert.Throws<EvaluationLimitException>(() => EvaluationBudget.Charge(EvaluationLimits.Default.MaxAllocation + 1));
    }

    [Fact]
    public void Steps_StopAtTheLimit()
    {
        var budget = new EvaluationBudget(new EvaluationLimits { MaxSteps = 1000 });
        for (int i = 0; i < 1000; i++)
        {
            budget.Step();
        }

        var ex = Assert.Throws<EvaluationLimitException>(budget.Step);
        Assert.Equal(EvaluationLimit.Steps, ex.Limit);
        Assert.Contains("EvaluationLimits.MaxSteps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_StopsAnEvaluationThatRunsPastItsLimit()
    {
        var budget = new EvaluationBudget(new EvaluationLimits { MaxTime = TimeSpan.Zero });
        budget.Step();
        var ex = Assert.Throws<EvaluationLimitException>(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                budget.Step();
            }
        });
        Assert.Equal(EvaluationLimit.Time, ex.Limit);
    }

    [Fact]
    public void Visit_RefusesDepthPastTheLimit()
    {
        EvaluationBudget.Visit(1000, "printing a value");
        var ex = Assert.Throws<EvaluationLimitException>(() => EvaluationBudget.Visit(1001, "printing a value"));
        Assert.Equal(EvaluationLimit.Depth, ex.Limit);
        Assert.Equal("printing a value: nested deeper than the limit of 1000 levels (EvaluationLimits.MaxDepth)", ex.Message);
    }

    [Fact]
    public void DeepValues_AreRefusedByThePrinters()
    {
        object? deep = 1L;
        for (int i = 0; i < 5000; i++)
        {
            deep = new List<object?> { deep };
        }

        Assert.Throws<EvaluationLimitException>(() => GoFmt.ToString(deep));
        Assert.Throws<EvaluationLimitException>(() => GoJson.Marshal(deep, indent: false));
    }

    // A list holding the previous one twice, n times: 2^n leaves in little memory.
    private static object? Shared(int n, object? leaf)
    {
        object? x = leaf;
        for (int i = 0; i < n; i++)
        {
            x = new List<object?> { x, x };
        }

        return x;
    }

    public static TheoryData<string> Serialisers() => ["json", "indented json", "fmt %v", "fmt width"];

    private static string Serialise(string serialiser, object? value) => serialiser switch
    {
        "json" => GoJson.Marshal(value, indent: false),
        "indented json" => GoJson.Marshal(value, indent: true),
        "fmt %v" => GoFmt.ToString(value),
        _ => GoFmt.Sprintf("%20v", [value]),
    };

    [Theory]
    [MemberData(nameof(Serialisers))]
    public void Serialisers_ChargeWhatTheyWrite_AndStopAtTheMemoryLimit(string serialiser)
    {
        var budget = new EvaluationBudget(new EvaluationLimits { MaxAllocation = 100_000 });
        EvaluationBudget? outer = budget.Enter();
        try
        {
            // 2^12 leaves of 100 characters each: 400,000 characters of text from a value of 12 small lists.
            var ex = Assert.Throws<EvaluationLimitException>(() => Serialise(serialiser, Shared(12, new string('x', 100))));
            Assert.Equal(EvaluationLimit.Allocation, ex.Limit);
            Assert.Equal("evaluation memory budget exceeded: more than 100000 elements and characters (EvaluationLimits.MaxAllocation)", ex.Message);
            // Stopped within a batch and an element of the limit, not after writing everything.
            Assert.InRange(budget.Allocated, 90_000, 100_000);
        }
        finally
        {
            EvaluationBudget.Exit(outer);
        }
    }

    [Theory]
    [MemberData(nameof(Serialisers))]
    public void Serialisers_ChargeTheirTextAndItsCopy(string serialiser)
    {
        var budget = new EvaluationBudget();
        EvaluationBudget? outer = budget.Enter();
        try
        {
            string text = Serialise(serialiser, Shared(6, "ab"));
            Assert.Equal(2L * text.Length, budget.Allocated);
        }
        finally
        {
            EvaluationBudget.Exit(outer);
        }
    }
}
