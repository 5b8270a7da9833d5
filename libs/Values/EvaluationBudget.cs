using System.Runtime.CompilerServices;

namespace Lookout.Values;

/// <summary>
/// The limits of one evaluation (one expression run, one template execution with the Sprig functions it calls).
/// The defaults are far above what any real notification or analysis needs (a notification renders in
/// microseconds, a few kilobytes); they exist so a hostile or mistaken entry fails alone, with a clear error,
/// instead of exhausting the process.
/// </summary>
public sealed record EvaluationLimits
{
    /// <summary>The defaults.</summary>
    public static EvaluationLimits Default { get; } = new();

    /// <summary>
    /// Elements and characters one evaluation may create through the functions that build values (list
    /// elements, string characters: <c>until</c>, <c>repeat</c>, <c>concat</c>, <c>cat</c>, encodings...),
    /// counted before they are allocated.
    /// </summary>
    public long MaxAllocation { get; init; } = 4_000_000;

    /// <summary>Steps (loop iterations, template calls) one evaluation may run.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>The most characters one template execution may write.</summary>
    public int MaxOutputChars { get; init; } = 4 * 1024 * 1024;

    /// <summary>Wall-clock time one evaluation may take (read every few thousand steps).</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The deepest nesting followed: of the text (parentheses, blocks), of template calls, and of values printed,
    /// encoded, compared or copied.
    /// </summary>
    public int MaxDepth { get; init; } = 1000;
}

/// <summary>
/// What one evaluation has spent of its <see cref="EvaluationLimits"/>. The engine running an evaluation makes its
/// budget <see cref="Current"/> on its thread for the duration (evaluations are synchronous), so the functions it
/// calls (Sprig's, the printers) charge the same budget without it being passed through every signature. Outside
/// any evaluation the default limits apply to each call on its own.
/// </summary>
public sealed class EvaluationBudget
{
    [ThreadStatic]
    private static EvaluationBudget? current;

    private long allocated;
    private long steps;
    private long deadline;

    /// <summary>Creates a budget with <paramref name="limits"/> (the defaults when null).</summary>
    public EvaluationBudget(EvaluationLimits? limits = null) => Limits = limits ?? EvaluationLimits.Default;

    /// <summary>The budget of the evaluation running on this thread, if any.</summary>
    public static EvaluationBudget? Current => current;

    /// <summary>The limits this budget enforces.</summary>
    public EvaluationLimits Limits { get; private set; }

    /// <summary>Elements and characters charged so far.</summary>
    public long Allocated => allocated;

    /// <summary>Steps charged so far.</summary>
    public long Steps => steps;

    /// <summary>Starts a new evaluation with <paramref name="limits"/>: nothing spent, the clock not yet started.</summary>
    public void Reset(EvaluationLimits limits)
    {
        Limits = limits;
        allocated = 0;
        steps = 0;
        deadline = 0;
    }

    /// <summary>Makes this budget <see cref="Current"/>; returns the previous one, to give to <see cref="Exit"/>.</summary>
    public EvaluationBudget? Enter()
    {
        EvaluationBudget? previous = current;
        current = this;
        return previous;
    }

    /// <summary>Restores the budget that was current before <see cref="Enter"/>.</summary>
    public static void Exit(EvaluationBudget? previous) => current = previous;

    /// <summary>Charges <paramref name="units"/> elements or characters about to be allocated.</summary>
    /// <exception cref="EvaluationLimitException">The allocation would pass <see cref="EvaluationLimits.MaxAllocation"/>.</exception>
    public void Allocate(long units)
    {
        if (units < 0 || units > Limits.MaxAllocation - allocated)
        {
            throw AllocationExceeded(Limits.MaxAllocation);
        }

        allocated += units;
    }

    /// <summary>
    /// Charges an allocation to the current evaluation's budget, or, outside any evaluation, checks it alone
    /// against the default limit. Call it before allocating.
    /// </summary>
    /// <exception cref="EvaluationLimitException">The allocation would pass the limit.</exception>
    public static void Charge(long units)
    {
        EvaluationBudget? budget = current;
        if (budget is not null)
        {
            budget.Allocate(units);
        }
        else if (units < 0 || units > EvaluationLimits.Default.MaxAllocation)
        {
            throw AllocationExceeded(EvaluationLimits.Default.MaxAllocation);
        }
    }

    /// <summary>Charges one step; every 256 steps also reads the clock (started at the first step).</summary>
    /// <exception cref="EvaluationLimitException">A step or the time limit is passed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step()
    {
        if ((++steps & 255) == 1 || steps > Limits.MaxSteps)
        {
            CheckStepsAndClock();
        }
    }

    /// <summary>Charges <paramref name="count"/> steps at once (the work of one call, such as a quadratic comparison).</summary>
    /// <exception cref="EvaluationLimitException">A step or the time limit is passed.</exception>
    public void Step(long count)
    {
        if (count > 0)
        {
            steps = count > Limits.MaxSteps - steps ? Limits.MaxSteps + 1 : steps + count;
            CheckStepsAndClock();
        }
    }

    /// <summary>The deepest nesting the current evaluation may follow.</summary>
    public static int MaxDepth => current?.Limits.MaxDepth ?? EvaluationLimits.Default.MaxDepth;

    /// <summary>
    /// A recursive walk (printing, encoding, comparing, copying) enters a list or map at <paramref name="depth"/>:
    /// checks the depth against <see cref="MaxDepth"/> and the thread's remaining stack, and charges a step, so a
    /// value whose lists share elements (a list of itself twice, doubled a thousand times) cannot make the walk
    /// exponential. <paramref name="what"/> names the walk in the error (for example <c>"printing a value"</c>).
    /// </summary>
    /// <exception cref="EvaluationLimitException">The value is nested too deeply, or the walk passes the step limit.</exception>
    public static void Visit(int depth, string what)
    {
        EvaluationBudget? budget = current;
        if (depth > (budget?.Limits.MaxDepth ?? EvaluationLimits.Default.MaxDepth) || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw DepthExceeded(what);
        }

        budget?.Step();
    }

    [ThreadStatic]
    private static int walkDepth;

    /// <summary>
    /// <see cref="Visit"/> for a walk that does not carry its depth: one level deeper on this thread, until the
    /// matching <see cref="Ascend"/> (call it in a <c>finally</c>).
    /// </summary>
    /// <exception cref="EvaluationLimitException">The value is nested too deeply, or the walk passes the step limit.</exception>
    public static void Descend(string what)
    {
        try
        {
            Visit(++walkDepth, what);
        }
        catch (EvaluationLimitException)
        {
            walkDepth--;
            throw;
        }
    }

    /// <summary>Leaves the level entered by <see cref="Descend"/>.</summary>
    public static void Ascend() => walkDepth--;

    /// <summary>The error for nesting deeper than the limit.</summary>
    public static EvaluationLimitException DepthExceeded(string what) =>
        new(EvaluationLimit.Depth, $"{what}: nested deeper than the limit of {MaxDepth} levels (EvaluationLimits.MaxDepth)");

    private void CheckStepsAndClock()
    {
        if (steps > Limits.MaxSteps)
        {
            throw new EvaluationLimitException(EvaluationLimit.Steps, $"evaluation budget exceeded: more than {Limits.MaxSteps} steps (EvaluationLimits.MaxSteps)");
        }

        long now = Environment.TickCount64;
        if (deadline == 0)
        {
            deadline = now + (long)Limits.MaxTime.TotalMilliseconds;
        }
        else if (now >= deadline)
        {
            throw new EvaluationLimitException(EvaluationLimit.Time, $"evaluation time budget exceeded: ran longer than {Limits.MaxTime.TotalMilliseconds} ms (EvaluationLimits.MaxTime)");
        }
    }

    private static EvaluationLimitException AllocationExceeded(long limit) =>
        new(EvaluationLimit.Allocation, $"evaluation memory budget exceeded: more than {limit} elements and characters (EvaluationLimits.MaxAllocation)");
}

/// <summary>Which limit of <see cref="EvaluationLimits"/> an evaluation passed.</summary>
public enum EvaluationLimit
{
    /// <summary><see cref="EvaluationLimits.MaxAllocation"/>.</summary>
    Allocation,

    /// <summary><see cref="EvaluationLimits.MaxSteps"/>.</summary>
    Steps,

    /// <summary><see cref="EvaluationLimits.MaxOutputChars"/>.</summary>
    Output,

    /// <summary><see cref="EvaluationLimits.MaxTime"/>.</summary>
    Time,

    /// <summary><see cref="EvaluationLimits.MaxDepth"/>.</summary>
    Depth,
}

/// <summary>
/// An evaluation passed one of its <see cref="EvaluationLimits"/>. The engines turn it into their own error
/// (<c>ExprException</c>, <c>TemplateExecException</c>) with the position; it ends that evaluation only.
/// </summary>
public sealed class EvaluationLimitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvaluationLimitException(EvaluationLimit limit, string message)
        : base(message) => Limit = limit;

    /// <summary>Creates an empty exception.</summary>
    public EvaluationLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EvaluationLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EvaluationLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The limit passed.</summary>
    public EvaluationLimit Limit { get; }
}
