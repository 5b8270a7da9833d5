using Lookout.Templates.Exec;
using Lookout.Templates.Parse;
using Lookout.Values;

namespace Lookout.Templates;

/// <summary>What a missing map key does, as Go's <c>missingkey</c> option.</summary>
public enum MissingKey
{
    /// <summary>Prints <c>&lt;no value&gt;</c> (Go's default, <c>missingkey=default</c> or <c>invalid</c>).</summary>
    Default,

    /// <summary>The zero value of the map's element type (<c>missingkey=zero</c>).</summary>
    Zero,

    /// <summary>Execution stops with an error (<c>missingkey=error</c>).</summary>
    Error,
}

/// <summary>Options of a template: its functions, the missing-key rule and the execution limits.</summary>
public sealed class TemplateOptions
{
    /// <summary>Functions beyond the builtins (Sprig's, Argo's), by name.</summary>
    public IReadOnlyDictionary<string, GoFunction> Functions { get; init; } = new Dictionary<string, GoFunction>(StringComparer.Ordinal);

    /// <summary>What a missing map key does.</summary>
    public MissingKey MissingKey { get; init; } = MissingKey.Default;

    /// <summary>
    /// The budget of one execution, shared with the functions it calls: characters written
    /// (<see cref="EvaluationLimits.MaxOutputChars"/>), nesting of the text and of <c>template</c> calls
    /// (<see cref="EvaluationLimits.MaxDepth"/>), <c>range</c> iterations and template calls
    /// (<see cref="EvaluationLimits.MaxSteps"/>), time, and what Sprig's functions allocate.
    /// </summary>
    public EvaluationLimits Limits { get; init; } = EvaluationLimits.Default;

    /// <summary>
    /// Whether <c>range</c> iterates over an integer (Go 1.22 and later, what Argo CD builds with). Go 1.19, which
    /// produced the conformance answers, rejects it.
    /// </summary>
    public bool RangeOverInt { get; init; } = true;

    /// <summary>Parses <c>default</c>, <c>invalid</c>, <c>zero</c> or <c>error</c>.</summary>
    public static MissingKey ParseMissingKey(string? value) => value switch
    {
        null or "" or "default" or "invalid" => MissingKey.Default,
        "zero" => MissingKey.Zero,
        "error" => MissingKey.Error,
        _ => throw new ArgumentException($"unrecognized missingkey option \"{value}\" (default, invalid, zero or error)", nameof(value)),
    };
}

/// <summary>
/// A Go <c>text/template</c>, parsed and compiled once, executed many times. Rendering is all or nothing: an
/// execution error throws <see cref="TemplateExecException"/> and no partial text escapes.
/// </summary>
public sealed class GoTemplate
{
    private readonly CompiledTemplates compiled;

    private GoTemplate(string name, CompiledTemplates compiled)
    {
        Name = name;
        this.compiled = compiled;
    }

    /// <summary>The template's name (the main template among its <c>define</c>s).</summary>
    public string Name { get; }

    /// <summary>The names of every template defined by the text, the main one included.</summary>
    public IReadOnlyCollection<string> TemplateNames => compiled.Names;

    /// <summary>Parses and compiles a template.</summary>
    /// <param name="name">The main template's name (as Go's <c>template.New(name)</c>).</param>
    /// <param name="text">The template text.</param>
    /// <param name="options">Functions, missing-key rule and limits.</param>
    /// <param name="source">Where the text came from, named in errors; defaults to <paramref name="name"/>.</param>
    /// <exception cref="TemplateParseException">The text does not parse; the message names the source, line and column.</exception>
    public static GoTemplate Parse(string name, string text, TemplateOptions? options = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new TemplateOptions();
        Dictionary<string, Tree> trees = Parser.Parse(name, source ?? name, text, fn => Builtins.IsBuiltin(fn) || options.Functions.ContainsKey(fn), options.Limits.MaxDepth);
        return new GoTemplate(name, Compiler.Compile(trees, options, source ?? name, text));
    }

    /// <summary>Executes the main template on <paramref name="data"/> and returns the text.</summary>
    /// <exception cref="TemplateExecException">
    /// An action failed, or the execution passed one of <see cref="TemplateOptions.Limits"/>; the message says which and why.
    /// </exception>
    public string Execute(object? data) => compiled.Execute(Name, data);

    /// <summary>Executes a named template (a <c>define</c>) on <paramref name="data"/>.</summary>
    public string ExecuteTemplate(string templateName, object? data) => compiled.Execute(templateName, data);
}
