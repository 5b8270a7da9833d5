using System.Text.Json;
using Lookout.Values;

namespace Lookout.Values.Tests;

public sealed class ObjectModelTests
{
    [Fact]
    public void FromJson_IntegerLiteral_IsLong_AndFractionOrExponent_IsDouble()
    {
        var value = (ObjectMap)ObjectModel.FromJson("""{"a": 1, "b": 1.0, "c": 1e3, "d": -9223372036854775808, "e": 18446744073709551616}""")!;

        Assert.IsType<long>(value["a"]);
        Assert.IsType<double>(value["b"]);
        Assert.IsType<double>(value["c"]);
        Assert.Equal(long.MinValue, value["d"]);
        Assert.IsType<double>(value["e"]);
    }

    [Fact]
    public void FromJson_DecodesEveryKind()
    {
        var value = (ObjectMap)ObjectModel.FromJson("""{"s": "x", "t": true, "f": false, "n": null, "l": [1, "y", {"k": []}]}""")!;

        Assert.Equal("x", value["s"]);
        Assert.Equal(true, value["t"]);
        Assert.Equal(false, value["f"]);
        Assert.Null(value["n"]);
        var list = Assert.IsType<List<object?>>(value["l"]);
        Assert.Equal(3, list.Count);
        Assert.IsType<ObjectMap>(list[2]);
    }

    [Fact]
    public void FromJsonElement_AgreesWithFromJson()
    {
        const string json = """{"metadata": {"name": "guestbook", "generation": 3}, "ratio": 0.5, "items": [1, 2]}""";
        using var document = JsonDocument.Parse(json);

        Assert.Equal(ObjectModel.ToJson(ObjectModel.FromJson(json)), ObjectModel.ToJson(ObjectModel.FromJsonElement(document.RootElement)));
    }

    [Fact]
    public void ToJson_RoundTrips_AndWritesNonFiniteNumbersAsStrings()
    {
        const string json = """{"a":1,"b":[true,null,"ü"],"c":{"d":2.5}}""";

        Assert.Equal(json, ObjectModel.ToJson(ObjectModel.FromJson(json)));
        Assert.Equal("""["+Inf","-Inf","NaN"]""", ObjectModel.ToJson(new List<object?> { double.PositiveInfinity, double.NegativeInfinity, double.NaN }));
    }

    [Theory]
    [InlineData("{\"a\": }")]
    [InlineData("[1, 2")]
    [InlineData("{} {}")]
    [InlineData("")]
    public void FromJson_InvalidText_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => ObjectModel.FromJson(json));
    }

    [Fact]
    public void GoFunction_WrongArgumentCount_SaysWhatItWants()
    {
        var function = new GoFunction("strings.ToUpper", 1, 1, args => ((string)args[0]!).ToUpperInvariant());

        Assert.Equal("X", function.Call("x"));
        var error = Assert.Throws<GoFunctionException>(() => function.Call("x", "y"));
        Assert.Contains("strings.ToUpper", error.Message, StringComparison.Ordinal);
        Assert.Contains("want 1 got 2", error.Message, StringComparison.Ordinal);
    }
}
