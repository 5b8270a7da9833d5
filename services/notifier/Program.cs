using Lookout.Notifier;
using Lookout.Notifier.Tools;

// `notifier expr eval` and `notifier template render` are line-oriented tools over stdin/stdout (the protocol of
// the conformance files); anything else starts the service.
return args switch
{
    ["expr", "eval", ..] => await ExprEvalCommand.RunAsync(Console.In, Console.Out, CancellationToken.None),
    ["template", "render", ..] => await TemplateRenderCommand.RunAsync(Console.In, Console.Out, CancellationToken.None),
    _ => await NotifierHost.RunAsync(args),
};
