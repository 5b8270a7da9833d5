using Lookout.Notifications.State;
using Lookout.Notifications.Triggers;

namespace Lookout.Notifications.Tests;

public sealed class StateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly Destination Slack = new("slack", "deployments");

    [Fact]
    public void Key_HasUpstreamFormat_WithOncePerPrefixAndSelfServiceNamespace()
    {
        var plain = new ConditionResult("[0].abc", string.Empty, ["t"], true);
        var once = plain with { OncePer = "rev1" };
        Assert.Equal("on-deployed:[0].abc:slack:deployments", NotifiedState.Key("on-deployed", plain, Slack));
        Assert.Equal("rev1:on-deployed:[0].abc:slack:deployments", NotifiedState.Key("on-deployed", once, Slack));
        Assert.Equal("rev1:team-a:on-deployed:[0].abc:slack:deployments", NotifiedState.Key("on-deployed", once, Slack, "team-a"));
    }

    [Fact]
    public void SetAlreadyNotified_NotifiesOnce_AndReArmsWhenFalse()
    {
        var state = NotifiedState.Empty();
        var result = new ConditionResult("[0].abc", string.Empty, ["t"], true);
        Assert.True(state.SetAlreadyNotified("t", result, Slack, true, Now));
        Assert.False(state.SetAlreadyNotified("t", result, Slack, true, Now));
        Assert.True(state.SetAlreadyNotified("t", result, Slack, false, Now));
        Assert.True(state.SetAlreadyNotified("t", result, Slack, true, Now));
    }

    [Fact]
    public void OncePerKeys_AreNeverReArmed()
    {
        var state = NotifiedState.Empty();
        var result = new ConditionResult("[0].abc", "rev1", ["t"], true);
        Assert.True(state.SetAlreadyNotified("t", result, Slack, true, Now));
        Assert.False(state.SetAlreadyNotified("t", result, Slack, false, Now));
        Assert.False(state.SetAlreadyNotified("t", result, Slack, true, Now));
        Assert.True(state.SetAlreadyNotified("t", result with { OncePer = "rev2" }, Slack, true, Now));
    }

    [Fact]
    public void Serialize_KeepsTheNewest100_AndWritesGoStyleJson()
    {
        var state = NotifiedState.Empty();
        for (int i = 0; i < 130; i++)
        {
            state.SetAlreadyNotified("t", new ConditionResult($"[{i}].k", string.Empty, [], true), Slack, true, Now.AddSeconds(i));
        }

        string json = state.Serialize()!;
        NotifiedState back = NotifiedState.Parse(json);
        Assert.Equal(100, back.Entries.Count);
        Assert.DoesNotContain(back.Entries.Keys, k => k.StartsWith("t:[29].", StringComparison.Ordinal));
        Assert.Contains(back.Entries.Keys, k => k.StartsWith("t:[30].", StringComparison.Ordinal));
        Assert.StartsWith("{\"t:[100].k:slack:deployments\":1700000100,", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void UnreadableAnnotation_IsAnEmptyState(string? annotation) => Assert.Empty(NotifiedState.Parse(annotation).Entries);

    [Fact]
    public void EmptyState_RemovesTheAnnotation() => Assert.Null(NotifiedState.Empty().Serialize());

    [Fact]
    public void ConditionKey_IsUpstreamSha1Base64Url() =>
        // sha1("true") = 5ffe533b830f08a0326348a9160afafc8ada44db
        Assert.Equal("X_5TO4MPCKAyY0ipFgr6_IraRNs", TriggerEvaluator.Hash("true"));
}
