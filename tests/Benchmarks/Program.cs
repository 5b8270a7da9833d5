using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/Benchmarks -- --filter '*'` runs the BenchmarkDotNet suites;
// end-to-end load drivers are selected by their own first argument (see README.md in this folder).
BenchmarkSwitcher.FromAssembly(typeof(Lookout.Benchmarks.BenchmarkMarker).Assembly).Run(args);
