namespace Lookout.Expr;

/// <summary>An expression that does not compile, with the source, position and a caret line.</summary>
public sealed class ExprException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExprException(string reason, string source, string text, int position)
        : base(Format(reason, source, text, position, out int line, out int column))
    {
        Reason = reason;
        Source = source;
        Line = line;
        Column = column;
        Text = text;
        Position = position;
    }

    /// <summary>Creates an empty exception.</summary>
    public ExprException()
    {
        Reason = string.Empty;
        Source = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExprException(string message)
        : base(message)
    {
        Reason = message;
        Source = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ExprException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Source = string.Empty;
    }

    /// <summary>The reason without position.</summary>
    public string Reason { get; }

    /// <summary>Where the expression came from (for example <c>argocd-notifications-cm trigger.on-deployed[0].when</c>).</summary>
    public new string Source { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>The expression's text and the offset in it, to raise the same error again as a new exception.</summary>
    internal string Text { get; } = string.Empty;

    internal int Position { get; }

    /// <summary>A new exception equal to this one: an error found at compile time and raised when the expression runs is
    /// created per throw, so threads running one program never share (and mutate the stack trace of) one exception.</summary>
    internal ExprException Again() => new(Reason, Source, Text, Position);

    private static string Format(string reason, string source, string text, int position, out int line, out int column)
    {
        position = Math.Clamp(position, 0, text.Length);
        line = 1;
        int lineStart = 0;
        for (int i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        column = position - lineStart + 1;
        int lineEnd = text.IndexOf('\n', lineStart);
        string lineText = lineEnd < 0 ? text[lineStart..] : text[lineStart..lineEnd];
        string where = source.Length > 0 ? $"{source}: " : string.Empty;
        int caret = column - 1;
        if (lineText.Length > 160)
        {
            // A long line is shown around the position only, so the message stays readable whatever the input.
            int from = Math.Max(0, caret - 80);
            int to = Math.Min(lineText.Length, caret + 80);
            lineText = (from > 0 ? "..." : string.Empty) + lineText[from..to] + (to < lineText.Length ? "..." : string.Empty);
            caret = caret - from + (from > 0 ? 3 : 0);
        }

        return $"{where}{reason} (line {line}, column {column})\n | {lineText}\n | {new string('.', caret)}^";
    }
}
