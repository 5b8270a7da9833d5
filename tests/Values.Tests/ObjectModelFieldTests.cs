namespace Lookout.Values.Tests;

/// <summary>Decoded maps share key instances with code, and a field read always answers as the dictionary does.</summary>
public sealed class ObjectModelFieldTests
{
    [Fact]
    public void DecodedKeys_AreTheSameInstancesAsLiterals()
    {
        var map = (ObjectMap)ObjectModel.FromJson("""{"status": {"sync": 1}}""")!;
        string key = map.Keys.Single();
        Assert.Same("status", key);
        Assert.Same(ObjectModel.InternKey(new string("status".AsSpan())), key);
    }

    [Fact]
    public void TryGetField_FindsInternedAndOtherKeys_InSmallAndLargeMaps()
    {
        var small = (ObjectMap)ObjectModel.FromJson("""{"a": 1, "b": 2}""")!;
        small[new string("late".AsSpan())] = 3L;
        Assert.True(Field(small, ObjectModel.InternKey("b"), out object? b));
        Assert.Equal(2L, b);
        Assert.True(Field(small, ObjectModel.InternKey("late"), out object? late));
        Assert.Equal(3L, late);
        Assert.False(Field(small, ObjectModel.InternKey("missing"), out _));

        string json = "{" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"k{i}\": {i}")) + "}";
        var large = (ObjectMap)ObjectModel.FromJson(json)!;
        Assert.True(Field(large, ObjectModel.InternKey("k17"), out object? k17));
        Assert.Equal(17L, k17);
        small["b"] = 20L;
        Assert.True(Field(small, ObjectModel.InternKey("b"), out object? replaced));
        Assert.Equal(20L, replaced);
    }

    private static bool Field(ObjectMap map, string key, out object? value)
    {
        int hint = 0;
        return map.TryGetField(key, ref hint, out value);
    }

    [Fact]
    public void ShortLetterValues_AreSharedInstances_OtherStringsDecodeAsTheyAre()
    {
        var first = (ObjectMap)ObjectModel.FromJson("""{"s": "Healthy", "t": "2026-11-25T10:00:00Z", "e": "Heal\u0074hy", "l": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "u": "Größe", "x": ""}""")!;
        var second = (ObjectMap)ObjectModel.FromJson("""{"s": "Healthy", "t": "2026-11-25T10:00:00Z"}""")!;
        Assert.Same(first["s"], second["s"]);
        Assert.Same(ObjectModel.PoolValue(new string("Healthy".AsSpan())), first["s"]);
        Assert.Equal("2026-11-25T10:00:00Z", first["t"]);
        Assert.NotSame(first["t"], second["t"]);
        Assert.Equal("Healthy", first["e"]);
        Assert.Equal("ABCDEFGHIJKLMNOPQRSTUVWXYZ", first["l"]);
        Assert.Equal("Größe", first["u"]);
        Assert.Equal(string.Empty, first["x"]);
        string notLetters = new("a-b".AsSpan());
        Assert.Same(notLetters, ObjectModel.PoolValue(notLetters));
    }
}
