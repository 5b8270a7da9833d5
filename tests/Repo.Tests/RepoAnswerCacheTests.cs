using Lookout.Notifications.Repo;
using Microsoft.Extensions.Time.Testing;

namespace Lookout.Repo.Tests;

/// <summary>The bounded cache of answers: least recently used out, failures kept briefly, a question in flight joined.</summary>
public sealed class RepoAnswerCacheTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-11-30T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static Func<Task<RepoAnswer>> Answer(string value, List<string> asked) => () =>
    {
        asked.Add(value);
        return Task.FromResult(new RepoAnswer(value, null));
    };

    [Fact]
    public async Task Capacity_EvictsTheLeastRecentlyUsed()
    {
        var cache = new RepoAnswerCache(2, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), clock);
        var asked = new List<string>();

        await cache.GetOrFetch("a", Answer("a", asked));
        await cache.GetOrFetch("b", Answer("b", asked));
        await cache.GetOrFetch("a", Answer("a", asked));
        await cache.GetOrFetch("c", Answer("c", asked));
        await cache.GetOrFetch("a", Answer("a", asked));
        await cache.GetOrFetch("b", Answer("b", asked));

        Assert.Equal(["a", "b", "c", "b"], asked);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Failure_IsKeptForFailureCacheFor_AnAnswerForCacheFor()
    {
        var cache = new RepoAnswerCache(10, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), clock);
        int calls = 0;
        Func<Task<RepoAnswer>> failing = () =>
        {
            calls++;
            throw new RepoServerException("down");
        };

        RepoAnswer first = await cache.GetOrFetch("k", failing);
        await cache.GetOrFetch("k", failing);
        clock.Advance(TimeSpan.FromSeconds(11));
        await cache.GetOrFetch("k", failing);

        Assert.Equal("down", first.Error);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task QuestionInFlight_IsJoined()
    {
        var cache = new RepoAnswerCache(10, TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), clock);
        var gate = new TaskCompletionSource<RepoAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;

        Task<RepoAnswer> first = cache.GetOrFetch("k", () => { calls++; return gate.Task; });
        Task<RepoAnswer> second = cache.GetOrFetch("k", () => { calls++; return gate.Task; });
        gate.SetResult(new RepoAnswer("v", null));

        Assert.Equal("v", (await first).Value);
        Assert.Equal("v", (await second).Value);
        Assert.Equal(1, calls);
        Assert.Equal(1, cache.Hits);
    }
}
