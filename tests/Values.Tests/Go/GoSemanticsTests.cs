using System.Text.RegularExpressions;

namespace Lookout.Values.Tests.Go;

/// <summary>The Go semantics both languages and Sprig share (libs/Values/Go).</summary>
public sealed class GoSemanticsTests
{
    public static TheoryData<object?, string> TypeNames => new()
    {
        { null, "<nil>" },
        { 1L, "int64" },
        { 1, "int" },
        { 1.5, "float64" },
        { "s", "string" },
        { true, "bool" },
        { (byte)1, "uint8" },
        { new List<object?>(), "[]interface {}" },
        { new ObjectMap(), "map[string]interface {}" },
        { new Dictionary<object, object?>(), "map[interface {}]interface {}" },
    };

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void Name_IsWhatGoPrintsForTheValuesGoType(object? value, string expected)
    {
        Assert.Equal(expected, GoTypes.Name(value));
        Assert.Equal(expected, GoFmt.Sprintf("%T", [value]));
    }

    public static TheoryData<object?, bool> Truths => new()
    {
        { null, false },
        { 0L, false },
        { 2L, true },
        { 0.0, false },
        { string.Empty, false },
        { "x", true },
        { new List<object?>(), false },
        { new List<string>(), false },
        { new List<object?> { null }, true },
        { new ObjectMap(), false },
    };

    [Theory]
    [MemberData(nameof(Truths))]
    public void IsTrue_FollowsGo(object? value, bool expected) => Assert.Equal(expected, GoTypes.IsTrue(value));

    [Fact]
    public void Regex_NamedGroupInGoSpelling_Compiles()
    {
        GoRegex regex = GoRegex.Compile("^(?P<major>[[:digit:]]+)\\.(?P<minor>\\d+)$");
        Assert.Equal(["1.17"], regex.FindAll("1.17", -1).Select(m => m.Value));
        Assert.Equal("17/1", regex.ReplaceAll("1.17", "${minor}/$major", literal: false));
        Assert.True(regex.AlwaysLinear);
        Assert.Same(regex, GoRegex.Compile("^(?P<major>[[:digit:]]+)\\.(?P<minor>\\d+)$"));
    }

    // RE2's \b and \B are ASCII word boundaries, \d, \w and \s ASCII classes; .NET's are Unicode.
    [Theory]
    [InlineData(@"\bfoo\b", "éfooé", true)]
    [InlineData(@"\bfoo\b", "a foo b", true)]
    [InlineData(@"\bfoo\b", "afoob", false)]
    [InlineData(@"\Bfoo", "éfoo", false)]
    [InlineData(@"\Bfoo", "xfoo", true)]
    [InlineData(@"\bé", "xé", true)]
    [InlineData(@"\d", "٣", false)]
    [InlineData(@"^\w+$", "héllo", false)]
    [InlineData(@"(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", false)]
    public void Regex_AnswersAsRe2(string pattern, string input, bool expected) =>
        Assert.Equal(expected, GoRegex.Compile(pattern).IsMatch(input));

    [Fact]
    public void Regex_WithWordBoundaries_RunsLinearOnAsciiInput()
    {
        GoRegex regex = GoRegex.Compile(@"(a+)+\b!");
        Assert.False(regex.AlwaysLinear);
        // Exponential for a backtracking engine; linear here, since the input is ASCII.
        Assert.False(regex.IsMatch(new string('a', 100_000) + "b"));
    }

    [Theory]
    [InlineData("a(?=b)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`")]
    [InlineData("(?)", "error parsing regexp: missing argument to repetition operator or invalid syntax: `(?)`")]
    public void Regex_WhatGoRejects_IsAGoError(string pattern, string message)
    {
        var ex = Assert.Throws<GoFunctionException>(() => GoRegex.Compile(pattern));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("strng")]
    [InlineData("interface{}")]
    public void Signature_MisspeltType_FailsWhenTheFunctionIsCreated(string type)
    {
        var ex = Assert.Throws<ArgumentException>(() => new GoFunction("f", 1, 1, a => a[0]) { ParamTypes = [type] });
        Assert.Contains($"unknown parameter type \"{type}\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_IsReadIntoTypes()
    {
        var f = new GoFunction("f", 2, -1, a => a[0]) { ParamTypes = ["string", "int", "any"] };
        Assert.Equal([GoParamType.String, GoParamType.Int, GoParamType.Any], f.Parameters);
    }

    // The first two are answers from the expr conformance file (expr-lang on Go, amd64: the fractional part of the
    // exponent goes through the assembly Exp and Log, and the C library differs in the last digit).
    [Theory]
    [InlineData(1e3, 13.35 / -7.73, 6.590030907970339e-06)]
    [InlineData(1e3, -4.0 / 31, 0.4101127070551302)]
    [InlineData(2, 10, 1024)]
    [InlineData(2, 0.5, 1.4142135623730951)]
    public void Pow_ComputesGosBits(double x, double y, double expected) => Assert.Equal(expected, GoMath.Pow(x, y));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, Math.E)]
    [InlineData(double.NegativeInfinity, 0)]
    [InlineData(800, double.PositiveInfinity)]
    public void Exp_SpecialAndExactValues(double x, double expected) => Assert.Equal(expected, GoMath.Exp(x));
}
