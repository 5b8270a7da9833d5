using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Benchmarks -- --filter '*'` runs the BenchmarkDotNet suites;
// `... -- watcher [objects] [updates]` runs the watcher's end-to-end load driver (see README.md in this folder).
// The data and templates of the template benchmark, for rendering the same with Go (see README.md).
if (args is ["template-data"])
{
    Console.Write(Lookout.Benchmarks.Templates.NotificationTemplates.ApplicationsJson());
    return 0;
}

if (args is ["template-texts"])
{
    Console.Write(System.Text.Json.JsonSerializer.Serialize(Lookout.Benchmarks.Templates.NotificationTemplates.All));
    return 0;
}

// The Applications and conditions of the trigger benchmark, for evaluating the same with expr-lang in Go.
if (args is ["trigger-data"])
{
    Console.Write(Lookout.Benchmarks.Expr.TriggerConditions.ApplicationsJson());
    return 0;
}

if (args is ["trigger-conditions"])
{
    Console.Write(System.Text.Json.JsonSerializer.Serialize(Lookout.Benchmarks.Expr.TriggerConditions.All.Values));
    return 0;
}

if (args is ["watcher-faults", ..])
{
    return await Lookout.Benchmarks.Watcher.WatcherFaultDriver.RunAsync(args[1..]);
}

if (args is ["analysis", ..])
{
    return await Lookout.Benchmarks.Analysis.AnalysisLoadDriver.RunAsync(args[1..]);
}

if (args is ["notifier-faults", ..])
{
    return await Lookout.Benchmarks.Notifier.NotifierFaultDriver.RunAsync(args[1..]);
}

if (args is ["notifier", ..])
{
    return await Lookout.Benchmarks.Notifier.NotifierLoadDriver.RunAsync(args[1..]);
}

if (args is ["watcher", ..])
{
    return await Lookout.Benchmarks.Watcher.WatcherLoadDriver.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Lookout.Benchmarks.BenchmarkMarker).Assembly).Run(args);
return 0;
