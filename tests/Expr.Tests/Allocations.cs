namespace Lookout.Expr.Tests;

/// <summary>
/// Measures what a steady path allocates on this thread. One-time work (lazy statics, the runtime tiering the
/// methods on the path) may allocate once on a cold machine, so the least of several rounds is the answer: a
/// path that allocates on every call allocates in every round.
/// </summary>
internal static class Allocations
{
    public static long LeastOf(int iterations, Action body, int rounds = 5)
    {
        long least = long.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                body();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
