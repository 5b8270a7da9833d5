using Lookout.Contracts;
using Lookout.Hosting;

namespace Lookout.Watcher.Tests.EndToEnd;

/// <summary>The routing keys and partition patterns that keep each object's messages in one queue.</summary>
public sealed class ObjectPartitionsTests
{
    private static ObjectIdentity Uid(int n) => new("c", "ns", "app", $"6f1c2a4e-0000-4000-8000-{n:D12}");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(256)]
    public void AnObjectsRoutingKey_MatchesExactlyTheTopicPatternOfItsPartition(int partitions)
    {
        for (int n = 0; n < 500; n++)
        {
            ObjectIdentity identity = Uid(n);
            string key = ObjectPartitions.RoutingKey(identity);
            int[] matching = Enumerable.Range(0, partitions).Where(i => TopicMatches(ObjectPartitions.Pattern(i, partitions), key)).ToArray();
            Assert.Equal([ObjectPartitions.PartitionOf(identity, partitions)], matching);
        }
    }

    [Fact]
    public void Objects_SpreadOverThePartitions()
    {
        int[] counts = new int[8];
        for (int n = 0; n < 4000; n++)
        {
            counts[ObjectPartitions.PartitionOf(Uid(n), 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 350, 650));
    }

    [Fact]
    public void RoutingKeys_AreEightBitWords_AndStableAcrossProcesses()
    {
        // FNV-1a of the uid, not string.GetHashCode (randomised per process): a restarted publisher keeps the key.
        Assert.Equal(ObjectPartitions.RoutingKey(Uid(7)), ObjectPartitions.RoutingKey(Uid(7)));
        Assert.Matches("^[01](\\.[01]){7}$", ObjectPartitions.RoutingKey(Uid(7)));
        Assert.Equal("#", ObjectPartitions.Pattern(0, 1));
        Assert.Equal("1.0.#", ObjectPartitions.Pattern(2, 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(512)]
    public void APartitionCount_ThatIsNotAPowerOfTwoUpTo256_IsRejectedByName(int partitions)
    {
        (string Setting, string Problem)[] problems = BusOptions.Check(new BusOptions { Partitions = partitions }).ToArray();
        Assert.Contains(problems, p => p.Setting == "Partitions" && p.Problem.Contains("power of two", StringComparison.Ordinal));
    }

    // AMQP topic matching for the patterns used here: words, then an optional trailing '#'.
    private static bool TopicMatches(string pattern, string key)
    {
        string[] p = pattern.Split('.');
        string[] k = key.Split('.');
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == "#")
            {
                return true;
            }

            if (i >= k.Length || p[i] != k[i])
            {
                return false;
            }
        }

        return p.Length == k.Length;
    }
}
