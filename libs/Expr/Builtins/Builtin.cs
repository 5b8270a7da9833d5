namespace Lookout.Expr;

/// <summary>
/// One expr-lang builtin, everything about it side by side (expr's <c>builtin.Function</c>): its name, its Go
/// signatures or its validation, its implementation, and whether it takes a closure.
/// </summary>
internal sealed record Builtin(string Name)
{
    /// <summary>Go signatures, tried in order as expr's checker tries <c>Types</c>: parameter natures and the result's.</summary>
    public (Nature[] Params, Nature Result)[]? Types { get; init; }

    /// <summary>A check of the argument natures that signatures cannot say (expr's <c>Validate</c>): the result's nature, or a <see cref="CheckError"/>.</summary>
    public Func<Nature[], Nature>? Validate { get; init; }

    /// <summary>The implementation on evaluated arguments (null for predicates, whose loops the compiler generates).</summary>
    public Func<object?[], Frame, object?>? Func { get; init; }

    /// <summary>Takes a closure as its second argument (<c>all(xs, {# > 0})</c>); the parser reads the closure.</summary>
    public bool Predicate { get; init; }

    /// <summary>For a predicate: the fewest and most arguments, counting a piped first argument.</summary>
    public (int Required, int Max) Arity { get; init; }

    /// <summary>For a predicate: its closure must return a bool.</summary>
    public bool PredicateReturnsBool { get; init; }
}

/// <summary>A compile-time type error inside a builtin's signature check; the compiler adds the position.</summary>
internal sealed class CheckError : Exception
{
    public CheckError()
    {
    }

    public CheckError(string message)
        : base(message)
    {
    }

    public CheckError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
