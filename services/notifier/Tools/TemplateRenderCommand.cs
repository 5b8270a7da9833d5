namespace Lookout.Notifier.Tools;

/// <summary>PLACEHOLDER: replaced by the engine work.</summary>
public static class TemplateRenderCommand
{
    public static Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken) => throw new NotImplementedException();
}
