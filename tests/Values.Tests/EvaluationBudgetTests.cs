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
}
