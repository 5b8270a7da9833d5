namespace Lookout.Lang;

/// <summary>The subcommands of <c>lookout-lang</c>, also answered by <c>notifier</c> under the same names.</summary>
public static class LangCommands
{
    /// <summary>Runs <c>expr eval</c> or <c>template render</c>; null when <paramref name="args"/> names neither.</summary>
    public static async Task<int?> RunAsync(string[] args, TextReader input, TextWriter output, CancellationToken cancellationToken) => args switch
    {
        ["expr", "eval", ..] => await ExprEvalCommand.RunAsync(input, output, cancellationToken).ConfigureAwait(false),
        ["template", "render", ..] => await TemplateRenderCommand.RunAsync(input, output, cancellationToken).ConfigureAwait(false),
        _ => null,
    };
}
