namespace Lookout.Values.Tests;

/// <summary>Decoded maps share key instances with code, and a field read always answers as the dictionary does.</summary>
public sealed class ObjectModelFieldTests
{
    [Fact]
    public void DecodedKeys_AreTheSameInstancesAsLiterals()
    {
        var map = (Dictionary<string, object?>)ObjectModel.FromJson("""{"status": {"sync": 1}}""")!;
        string key = map.Keys.Single();
        Assert.Same("status", key);
        Assert.Same(ObjectModel.InternKey(new string("status".AsSpan())), key);
    }

    [Fact]
    public void TryGetField_FindsInternedAndOtherKeys_InSmallAndLargeMaps()
    {
        var small = (Dictionary<string, object?>)ObjectModel.FromJson("""{"a": 1, "b": 2}""")!;
        small[new string("late".AsSpan())] = 3L;
        Assert.True(ObjectModel.TryGetField(small, ObjectModel.InternKey("b"), out object? b));
        Assert.Equal(2L, b);
        Assert.True(ObjectModel.TryGetField(small, ObjectModel.InternKey("late"), out object? late));
        Assert.Equal(3L, late);
        Assert.False(ObjectModel.TryGetField(small, ObjectModel.InternKey("missing"), out _));

        string json = "{" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"k{i}\": {i}")) + "}";
        var large = (Dictionary<string, object?>)ObjectModel.FromJson(json)!;
        Assert.True(ObjectModel.TryGetField(large, ObjectModel.InternKey("k17"), out object? k17));
        Assert.Equal(17L, k17);
        small["b"] = 20L;
        Assert.True(ObjectModel.TryGetField(small, ObjectModel.InternKey("b"), out object? replaced));
        Assert.Equal(20L, replaced);
    }
}
