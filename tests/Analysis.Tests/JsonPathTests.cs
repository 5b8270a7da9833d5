using Lookout.Analysis.Providers.Web;
using Lookout.Values;

namespace Lookout.Analysis.Tests;

/// <summary>Kubernetes JSONPath as client-go evaluates it, over JSON decoded as Go decodes it (numbers are float64).</summary>
public sealed class JsonPathTests
{
    private const string Doc = """
        {"statusCode":"200","data":{"ok":true,"ratio":0.5,"nothing":null},
         "items":[{"name":"a","status":"up","value":1},{"name":"b","status":"down","value":2},{"name":"c","status":"up","value":3}],
         "dotted.key":"x"}
        """;

    [Theory]
    [InlineData("{$.statusCode}", "\"200\"")]
    [InlineData("{.statusCode}", "\"200\"")]
    [InlineData("{$.data.ok}", "true")]
    [InlineData("{$.data.ratio}", "0.5")]
    [InlineData("{$.data.nothing}", "null")]
    [InlineData("{$.items[0].name}", "\"a\"")]
    [InlineData("{$.items[-1].name}", "\"c\"")]
    [InlineData("{$.items[1:].name}", "\"b\"")]
    [InlineData("{$.items[*].value}", "1")]
    [InlineData("{$.items[?(@.status==\"down\")].value}", "2")]
    [InlineData("{$.items[?(@.value>2.0)].name}", "\"c\"")]
    [InlineData("{$.items[?(@.missing)].name}", null)]
    [InlineData("{$['statusCode']}", "\"200\"")]
    [InlineData("{$..ratio}", "0.5")]
    [InlineData("{$.items[0,2].name}", "\"a\"")]
    [InlineData("{$.items[2:3].value}", "3")]
    [InlineData("{$}", null)]
    public void Finds_TheFirstValue(string path, string? expectedJson)
    {
        object? data = GoJson.Unmarshal(Doc);
        bool found = JsonPath.Parse(path).TryFirst(data, out object? value);
        if (path == "{$}")
        {
            Assert.Same(data, value);
            return;
        }

        if (expectedJson is null)
        {
            Assert.False(found);
            return;
        }

        Assert.True(found);
        Assert.Equal(expectedJson, GoJson.Marshal(value, indent: false));
    }

    [Theory]
    [InlineData("{$.missing}", "missing is not found")]
    [InlineData("{$['dotted.key']}", "dotted is not found")]
    [InlineData("{$.items[5]}", "array index out of bounds: index 5, length 3")]
    [InlineData("{$.statusCode[0]}", "string is not array or slice")]
    [InlineData("{$.items[?(@.value==1)].name}", "incompatible types for comparison")]
    public void Reports_ClientGosErrors(string path, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => JsonPath.Parse(path).FindResults(GoJson.Unmarshal(Doc)));
        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("{$.a", "unclosed action")]
    [InlineData("{$.items[0}", "unterminated array")]
    [InlineData("{$.items[x]}", "invalid array index x")]
    [InlineData("{range .items}", "range is not supported here: a web metric takes the first value found")]
    public void Rejects_InvalidTemplates(string path, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => JsonPath.Parse(path)).Message);
}
