namespace Lookout.Values.Tests;

/// <summary>The object model's map behaves as an ordinal dictionary in insertion order, whatever hint a reader brings.</summary>
public sealed class ObjectMapTests
{
    [Fact]
    public void Entries_KeepInsertionOrder_AndRemoveMovesLaterOnesUp()
    {
        var map = new ObjectMap { ["c"] = 1L, ["a"] = 2L, ["b"] = 3L };
        Assert.Equal(["c", "a", "b"], map.Keys.ToArray());
        Assert.True(map.Remove("a"));
        Assert.False(map.Remove("a"));
        Assert.Equal(["c", "b"], map.Keys.ToArray());
        Assert.Equal([1L, 3L], map.Values.ToArray());
        map["a"] = 4L;
        Assert.Equal(["c", "b", "a"], map.Select(kv => kv.Key).ToArray());
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void DictionaryContract_IndexerAddAndMissingKeys()
    {
        var map = new ObjectMap();
        map.Add("x", null);
        Assert.Throws<ArgumentException>(() => map.Add("x", 1L));
        Assert.False(map.TryAdd("x", 1L));
        Assert.True(map.ContainsKey("x"));
        Assert.Null(map["x"]);
        var missing = Assert.Throws<KeyNotFoundException>(() => map["y"]);
        Assert.Contains("'y'", missing.Message, StringComparison.Ordinal);
        Assert.False(map.ContainsKey("X"));
        map.Clear();
        Assert.Empty(map);
        IDictionary<string, object?> asInterface = map;
        asInterface["k"] = "v";
        Assert.Equal("v", asInterface["k"]);
        Assert.True(asInterface.Contains(new KeyValuePair<string, object?>("k", "v")));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void KeysEqualButNotTheSameInstance_AreFound_InSmallAndIndexedMaps(int size)
    {
        var map = new ObjectMap();
        for (int i = 0; i < size; i++)
        {
            map[new string($"key{i}".AsSpan())] = (long)i;
        }

        for (int i = 0; i < size; i++)
        {
            Assert.True(map.TryGetValue($"key{i}", out object? value));
            Assert.Equal((long)i, value);
            int hint = 0;
            Assert.True(map.TryGetField(ObjectModel.InternKey($"key{i}"), ref hint, out value));
            Assert.Equal((long)i, value);
        }

        Assert.False(map.TryGetValue("absent", out _));
        map.Remove("key0");
        Assert.False(map.ContainsKey("key0"));
        Assert.True(map.TryGetValue($"key{size - 1}", out object? last));
        Assert.Equal((long)(size - 1), last);
    }

    [Fact]
    public void Hint_IsOnlyAShortcut_StaleOrWrongHintsStillGiveTheRightAnswer()
    {
        var first = (ObjectMap)ObjectModel.FromJson("""{"a": 1, "b": 2, "c": 3}""")!;
        var other = (ObjectMap)ObjectModel.FromJson("""{"c": 30, "a": 10}""")!;
        string c = ObjectModel.InternKey("c");
        int hint = 0;
        Assert.True(first.TryGetField(c, ref hint, out object? value));
        Assert.Equal(3L, value);
        Assert.Equal(2, hint);
        Assert.True(other.TryGetField(c, ref hint, out value));
        Assert.Equal(30L, value);
        Assert.Equal(0, hint);
        foreach (int wrong in new[] { -1, 7, int.MaxValue, int.MinValue })
        {
            hint = wrong;
            Assert.True(first.TryGetField(c, ref hint, out value));
            Assert.Equal(3L, value);
        }

        hint = 2;
        Assert.False(other.TryGetField(ObjectModel.InternKey("zz"), ref hint, out _));
        first.Remove("a");
        hint = 2;
        Assert.True(first.TryGetField(c, ref hint, out value));
        Assert.Equal(3L, value);
        Assert.Equal(1, hint);
    }

    [Fact]
    public void DecodedObjects_RepeatedKeysKeepTheLastValue_AsGoDoes()
    {
        var small = (ObjectMap)ObjectModel.FromJson("""{"a": 1, "b": 2, "a": 3}""")!;
        Assert.Equal(["a", "b"], small.Keys.ToArray());
        Assert.Equal(3L, small["a"]);
        string many = "{" + string.Join(",", Enumerable.Range(0, 12).Select(i => $"\"k{i % 10}\": {i}")) + "}";
        var large = (ObjectMap)ObjectModel.FromJson(many)!;
        Assert.Equal(10, large.Count);
        Assert.Equal(10L, large["k0"]);
        Assert.Equal(11L, large["k1"]);
        Assert.Equal(9L, large["k9"]);
    }

    [Fact]
    public void LongKeys_AreNotPooled_YetFound()
    {
        string longKey = new('k', 100);
        var map = (ObjectMap)ObjectModel.FromJson($$"""{"{{longKey}}": true, "a": 1}""")!;
        int hint = 0;
        Assert.True(map.TryGetField(ObjectModel.InternKey(longKey), ref hint, out object? value));
        Assert.Equal(true, value);
        Assert.True(map.TryGetValue(new string(longKey.AsSpan()), out value));
    }

    [Fact]
    public void ConcurrentReaders_OfALargeMap_AllSeeEveryKey()
    {
        var map = new ObjectMap();
        for (int i = 0; i < 200; i++)
        {
            map[$"k{i}"] = (long)i;
        }

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 200; i++)
            {
                Assert.True(map.TryGetValue($"k{i}", out object? value));
                Assert.Equal((long)i, value);
            }
        });
    }
}
