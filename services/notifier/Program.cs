using Lookout.Lang;
using Lookout.Notifier;

// `notifier expr eval` and `notifier template render` are lookout-lang's line tools (kept under these names for
// compatibility); anything else starts the service.
return await LangCommands.RunAsync(args, Console.In, Console.Out, CancellationToken.None) ?? await NotifierHost.RunAsync(args);
