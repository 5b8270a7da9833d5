namespace Lookout.Analysis.Templates;

/// <summary>An AnalysisTemplate, its arguments or its metrics are invalid; the message names where.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TemplateException()
    {
    }
}
