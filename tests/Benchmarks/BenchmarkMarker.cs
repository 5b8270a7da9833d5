namespace Lookout.Benchmarks;

/// <summary>Names this assembly for BenchmarkSwitcher (the top-level Program type is ambiguous with the services').</summary>
internal static class BenchmarkMarker;
