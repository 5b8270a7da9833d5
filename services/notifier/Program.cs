using Lookout.Lang;
using Lookout.Notifier;
using Lookout.Notifier.Tools;

// `notifier expr eval` and `notifier template render` are lookout-lang's line tools (kept under these names for
// compatibility); `replay`, `trigger run` and `template notify` work offline from a ConfigMap file; anything else
// starts the service.
return args switch
{
    ["replay", .. var rest] => await ReplayCommand.RunAsync(rest, Console.In, Console.Out, Console.Error, CancellationToken.None),
    ["trigger", "run", .. var rest] => await TriggerRunCommand.RunTriggerAsync(rest, Console.Out, Console.Error, CancellationToken.None),
    ["template", "notify", .. var rest] => await TriggerRunCommand.NotifyAsync(rest, Console.Out, Console.Error, CancellationToken.None),
    _ => await LangCommands.RunAsync(args, Console.In, Console.Out, CancellationToken.None) ?? await NotifierHost.RunAsync(args),
};
