using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Benchmarks -- --filter '*'` runs the BenchmarkDotNet suites;
// `... -- watcher [objects] [updates]` runs the watcher's end-to-end load driver (see README.md in this folder).
if (args is ["watcher", ..])
{
    return await Lookout.Benchmarks.Watcher.WatcherLoadDriver.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Lookout.Benchmarks.BenchmarkMarker).Assembly).Run(args);
return 0;
