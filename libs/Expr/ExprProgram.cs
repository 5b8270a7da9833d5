using Lookout.Values;
namespace Lookout.Expr;

/// <summary>How an expression is compiled.</summary>
public sealed record ExprOptions
{
    /// <summary>Where the expression came from, for error messages (for example <c>argocd-notifications-cm trigger.on-deployed[0].when</c>).</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>
    /// The environment to compile against (typed mode, as Argo Rollouts compiles analysis conditions): unknown names
    /// and type mismatches with the environment's values fail at compile time. Null compiles untyped, as Argo CD's
    /// notifications compile trigger conditions: names are resolved when the expression runs.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Env { get; init; }

    /// <summary>Values an evaluation may create (list elements, string bytes), as expr's memory budget.</summary>
    public long MemoryBudget { get; init; } = 1_000_000;

    /// <summary>Predicate iterations one evaluation may run before it is stopped.</summary>
    public long StepBudget { get; init; } = 10_000_000;

    /// <summary>Wall-clock time one evaluation may take before it is stopped (checked between predicate iterations).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock <c>now()</c> reads (and the time budget does not: it measures the machine's own time).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The evaluation budget shared with templates and Sprig: characters of the strings an evaluation builds,
    /// nesting of the values it prints, encodes and compares, and their walks. expr-lang's own memory and step
    /// budgets above still apply.
    /// </summary>
    public EvaluationLimits Limits { get; init; } = EvaluationLimits.Default;
}

/// <summary>
/// An expr-lang (v1.17) expression, parsed and checked once and compiled to delegates. Thread-safe: one program can be
/// run from many threads at once.
/// </summary>
public sealed class ExprProgram
{
    // One frame per thread is reused, so a run allocates nothing of its own. Safe because a run takes the frame (spare
    // set to null) and gives it back in finally, and a run is synchronous from start to end: no engine function may
    // await, so no other run interleaves on this thread, and a run nested inside one (a Go function that evaluates an
    // expression) finds no spare and makes its own frame. The slots are cleared on return, so no value outlives a run.
    [ThreadStatic]
    private static Frame? spare;

    private readonly Eval run;
    private readonly int slots;
    private readonly long memoryBudget;
    private readonly long stepBudget;
    private readonly long timeBudgetMs;
    private readonly TimeProvider time;
    private readonly EvaluationLimits limits;

    private ExprProgram(string text, ExprOptions options, Eval run, int slots)
    {
        Text = text;
        Source = options.Source;
        this.run = run;
        this.slots = slots;
        memoryBudget = options.MemoryBudget;
        stepBudget = options.StepBudget;
        timeBudgetMs = (long)options.TimeBudget.TotalMilliseconds;
        time = options.TimeProvider;
        limits = options.Limits;
    }

    /// <summary>The expression's text.</summary>
    public string Text { get; }

    /// <summary>Where the expression came from.</summary>
    public string Source { get; }

    /// <summary>Compiles an expression.</summary>
    /// <exception cref="ExprException">The expression does not parse or does not type-check; the message names the source, line and column.</exception>
    public static ExprProgram Compile(string expression, ExprOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        options ??= new ExprOptions();
        Node node = Parser.Parse(expression, options.Source);
        var compiler = new Compiler(expression, options.Source, options.Env);
        Compiler.Code code = compiler.Compile(node);
        return new ExprProgram(expression, options, code.Run, compiler.SlotCount);
    }

    /// <summary>Runs the expression against an environment (a map of names to object-model values).</summary>
    /// <exception cref="ExprException">The evaluation failed (a type mismatch, a fetch from nil, a budget); the message names the position.</exception>
    public object? Run(IReadOnlyDictionary<string, object?>? env)
    {
        Frame frame = spare ?? new Frame();
        spare = null;
        EvaluationBudget? outer = EvaluationBudget.Current;
        try
        {
            frame.Env = env as ObjectMap ?? (env is null ? Empty : new ObjectMap(env));
            if (frame.Slots.Length < slots)
            {
                frame.Slots = new object?[slots];
            }

            frame.Memory = 0;
            frame.Steps = 0;
            frame.MemoryBudget = memoryBudget;
            frame.StepBudget = stepBudget;
            frame.TimeBudgetMs = timeBudgetMs;
            frame.Deadline = 0;
            frame.Time = time;
            frame.Budget.Reset(limits);
            outer = frame.Budget.Enter();
            object? result = run(frame);
            return ReferenceEquals(result, Compiler.ChainNil) ? null : result;
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ExprException("expression is nested too deeply to evaluate", Source, Text, 0);
        }
        catch (EvaluationLimitException ex)
        {
            throw new ExprException(ex.Message, Source, Text, 0);
        }
        finally
        {
            EvaluationBudget.Exit(outer);
            frame.Env = null;
            if (slots > 0)
            {
                System.Array.Clear(frame.Slots, 0, slots);
            }

            spare = frame;
        }
    }

    /// <summary>Runs a condition: the result must be a boolean, as Argo requires of triggers and analysis conditions.</summary>
    /// <exception cref="ExprException">The evaluation failed or did not produce a boolean.</exception>
    public bool RunBool(IReadOnlyDictionary<string, object?>? env) => Run(env) switch
    {
        bool b => b,
        var other => throw new ExprException($"expected bool, but got {Runtime.GoType(other)}", Source, Text, 0),
    };

    private static readonly ObjectMap Empty = new();
}
