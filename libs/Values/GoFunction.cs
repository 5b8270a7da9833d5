namespace Lookout.Values;

/// <summary>
/// A callable value: a Go function or a bound method, as Argo exposes them to expressions and templates
/// (<c>time.Parse</c>, <c>strings.ToUpper</c>, a Sprig function, <c>t.Before</c>). Both engines call it the
/// same way. Arguments arrive as object-model values; a failure that Go would return as an <c>error</c> is
/// thrown as <see cref="GoFunctionException"/>.
/// </summary>
public sealed class GoFunction
{
    private readonly IReadOnlyList<string>? paramTypes;

    /// <param name="name">The name used in error messages, such as <c>time.Parse</c>.</param>
    /// <param name="minArgs">The fewest arguments accepted.</param>
    /// <param name="maxArgs">The most arguments accepted, or -1 for a variadic function.</param>
    /// <param name="invoke">The implementation.</param>
    public GoFunction(string name, int minArgs, int maxArgs, Func<object?[], object?> invoke)
    {
        Name = name;
        MinArgs = minArgs;
        MaxArgs = maxArgs;
        Invoke = invoke;
    }

    public string Name { get; }

    public int MinArgs { get; }

    /// <summary>The most arguments accepted, or -1 for a variadic function.</summary>
    public int MaxArgs { get; }

    public Func<object?[], object?> Invoke { get; }

    /// <summary>
    /// The Go types of the parameters by name, when the function is typed (Sprig's are): <c>string</c>, <c>int</c>,
    /// <c>bool</c>, <c>map</c> (map[string]interface{}), <c>time</c> (time.Time) or <c>any</c>. For a variadic function
    /// the last entry is the element type of the variadic part. Null: every parameter is <c>interface{}</c>.
    /// Read when the function is created, so a misspelt type fails at start-up (<see cref="ArgumentException"/>).
    /// </summary>
    public IReadOnlyList<string>? ParamTypes
    {
        get => paramTypes;
        init
        {
            Parameters = value is null ? null : [.. value.Select(GoSignature.ParseType)];
            paramTypes = value;
        }
    }

    /// <summary>The parameter types as <see cref="ParamTypes"/> names them; the template engine checks arguments against these as Go's text/template does.</summary>
    public IReadOnlyList<GoParamType>? Parameters { get; private init; }

    /// <summary>
    /// Marks a function that is exactly Go's <c>time.Parse(time.RFC3339, s)</c> of its one string argument, with no
    /// other effect. The host sets it (Argo CD's <c>time.Parse</c> is one); an engine may then read such a time without
    /// calling the function (expr compares <c>time.Parse(a).Before(time.Parse(b))</c> as instants, allocating nothing).
    /// </summary>
    public bool ParsesRfc3339 { get; init; }

    /// <summary>Checks the argument count and calls the function.</summary>
    public object? Call(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < MinArgs || (MaxArgs >= 0 && args.Length > MaxArgs))
        {
            var expected = MaxArgs < 0 ? $"at least {MinArgs}" : MinArgs == MaxArgs ? $"{MinArgs}" : $"{MinArgs} to {MaxArgs}";
            throw new GoFunctionException($"wrong number of args for {Name}: want {expected} got {args.Length}");
        }

        return Invoke(args);
    }

    public override string ToString() => Name;
}

/// <summary>The error a Go function returned, or a wrong call of it.</summary>
public sealed class GoFunctionException : Exception
{
    public GoFunctionException()
    {
    }

    public GoFunctionException(string message)
        : base(message)
    {
    }

    public GoFunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A runtime value with Go fields and methods that expressions and templates reach by name
/// (<c>t.Before(u)</c> in expr, <c>{{ $t.Format "2006" }}</c> in a template). Implemented by times and durations.
/// </summary>
public interface IGoObject
{
    /// <summary>The Go type name, as <c>%T</c> and expr's <c>type()</c> would print it (e.g. <c>time.Time</c>).</summary>
    string GoTypeName { get; }

    /// <summary>Finds a method by its exported Go name, bound to this value.</summary>
    bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method);
}
