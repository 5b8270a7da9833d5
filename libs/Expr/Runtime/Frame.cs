using Lookout.Values;

namespace Lookout.Expr;

/// <summary>A compiled node: run with a frame, returns a value of the object model.</summary>
internal delegate object? Eval(Frame frame);

/// <summary>The state of one evaluation: the environment, predicate and <c>let</c> slots, and the budgets.</summary>
internal sealed class Frame
{
    public object? Env;
    public object?[] Slots = [];

    /// <summary>The budget shared with the printers and walks the evaluation calls (strings built, depth, time).</summary>
    public EvaluationBudget Budget = new();
    public long Memory;
    public long MemoryBudget;
    public long Steps;
    public long StepBudget;
    public long TimeBudgetMs;

    /// <summary>The clock <c>now()</c> reads.</summary>
    public TimeProvider Time = TimeProvider.System;

    /// <summary>When the time budget runs out; zero until the first step starts the clock.</summary>
    public long Deadline;

    public void Grow(long size)
    {
        Memory += size;
        if (Memory >= MemoryBudget)
        {
            throw Runtime.Fail("memory budget exceeded");
        }
    }

    public void Step()
    {
        if (++Steps > StepBudget)
        {
            throw Runtime.Fail("evaluation budget exceeded");
        }

        // The clock starts at the first step (what comes before is bounded by the memory budget) and is read every
        // 4,096 steps, so a condition without predicates never reads it.
        if ((Steps & 4095) == 1)
        {
            long now = Environment.TickCount64;
            if (Deadline == 0)
            {
                Deadline = now + TimeBudgetMs;
            }
            else if (now >= Deadline)
            {
                throw Runtime.Fail("evaluation time budget exceeded");
            }
        }
    }
}
