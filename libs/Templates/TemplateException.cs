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
