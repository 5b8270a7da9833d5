namespace Lookout.Templates;

/// <summary>A template failed to parse or to execute.</summary>
public class TemplateException : Exception
{
    /// <summary>Creates an empty exception.</summary>
    public TemplateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An action failed while executing; the message names the template, position and action.</summary>
public sealed class TemplateExecException : TemplateException
{
    /// <summary>Creates an empty exception.</summary>
    public TemplateExecException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TemplateExecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TemplateExecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A parse error with the template's name, line and column.</summary>
public sealed class TemplateParseException : TemplateException
{
    /// <summary>Creates the exception.</summary>
    public TemplateParseException(string source, int line, int column, string reason)
        : base($"template: {source}:{line}:{column}: {reason}")
    {
        Source = source;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Creates an empty exception.</summary>
    public TemplateParseException()
    {
        Source = string.Empty;
        Reason = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TemplateParseException(string message)
        : base(message)
    {
        Source = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TemplateParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Source = string.Empty;
        Reason = message;
    }

    /// <summary>Where the template came from (for example <c>argocd-notifications-cm template.app-deployed message</c>).</summary>
    public new string Source { get; }

    /// <summary>1-based line of the offending token.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the offending token.</summary>
    public int Column { get; }

    /// <summary>The reason without the position.</summary>
    public string Reason { get; }
}
