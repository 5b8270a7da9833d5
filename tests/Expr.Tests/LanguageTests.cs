using System.Text.Json;
using Lookout.Lang;
using Lookout.Values;

namespace Lookout.Expr.Tests;

/// <summary>Each operator and builtin of expr-lang v1.17, with answers as expr gives them.</summary>
public sealed class LanguageTests
{
    private const string Env = """
        {"n": 3, "f": 2.5, "s": "héllo", "b": true, "nothing": null, "xs": [1, 2, 3], "ss": ["b", "a", "c"],
         "m": {"a": 1, "b": null, "nested": {"k": "v"}},
         "app": {"metadata": {"name": "guestbook", "labels": {"env": "prod"}},
                 "status": {"sync": {"status": "Synced"}, "health": {"status": "Healthy"},
                            "resources": [{"kind": "Deployment", "health": {"status": "Healthy"}}, {"kind": "Service"}]}}}
        """;

    [Theory]
    // Literals.
    [InlineData("1_000", "1000")]
    [InlineData("0x1F + 0o17 + 0b11", "49")]
    [InlineData("1e3", "1000")]
    [InlineData(".5", "0.5")]
    [InlineData("'it\\'s' + \"\\t\" + `raw\\n`", "\"it's\\traw\\\\n\"")]
    [InlineData("nil", "null")]
    [InlineData("[1, 'a', nil]", "[1,\"a\",null]")]
    [InlineData("{a: 1, 'b': 2, 3: 4}", "{\"a\":1,\"b\":2,\"3\":4}")]
    // Arithmetic: int stays int, / and ** are float, % is int only.
    [InlineData("7 / 2", "3.5")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("2 ** 10", "1024")]
    [InlineData("2 ^ -1", "0.5")]
    [InlineData("n * f", "7.5")]
    [InlineData("9223372036854775807 + 1", "-9223372036854775808")]
    [InlineData("1 / 0", "\"+Inf\"")]
    [InlineData("-n", "-3")]
    [InlineData("2 ** 3 ** 2", "512")]
    [InlineData("1 + 2 * 3", "7")]
    // Comparison and logic.
    [InlineData("1 == 1.0", "true")]
    [InlineData("xs == [1, 2, 3]", "true")]
    [InlineData("nil == nil", "true")]
    [InlineData("'a' < 'b'", "true")]
    [InlineData("1 < 2 < 3", "true")]
    [InlineData("3 > 2 > 1", "true")]
    [InlineData("b and not false", "true")]
    [InlineData("!b || n > 2", "true")]
    [InlineData("false and nothing.x", "false")]
    [InlineData("true && n", "3")]
    // Membership and strings.
    [InlineData("2 in xs", "true")]
    [InlineData("'a' in m", "true")]
    [InlineData("'z' not in m", "true")]
    [InlineData("'x' in ['a', 'b']", "false")]
    [InlineData("s contains 'll'", "true")]
    [InlineData("s startsWith 'h'", "true")]
    [InlineData("s endsWith 'lo'", "true")]
    [InlineData("s matches '^h.l+o$'", "true")]
    [InlineData("nothing matches 'x'", "false")]
    [InlineData("s not matches '^x'", "true")]
    // Ranges, members, optional chains, slices, indexes.
    [InlineData("1..4", "[1,2,3,4]")]
    [InlineData("3..1", "[]")]
    [InlineData("m.nested.k", "\"v\"")]
    [InlineData("m['a']", "1")]
    [InlineData("m.missing", "null")]
    [InlineData("nothing?.a.b", "null")]
    [InlineData("m?.nested?.k", "\"v\"")]
    [InlineData("xs[-1]", "3")]
    [InlineData("xs[1.0]", "2")]
    [InlineData("xs[1:]", "[2,3]")]
    [InlineData("xs[:-1]", "[1,2]")]
    [InlineData("xs[5:9]", "[]")]
    [InlineData("s[1:3]", "\"é\"")]
    [InlineData("s[0]", "104")]
    [InlineData("nothing ?? 'default'", "\"default\"")]
    [InlineData("m.b ?? m.a", "1")]
    // Conditionals, let, sequences, pipes.
    [InlineData("n > 2 ? 'big' : 'small'", "\"big\"")]
    [InlineData("false ?: 'elvis'", "\"elvis\"")]
    [InlineData("let x = n * 2; x + 1", "7")]
    [InlineData("if n > 2 { 'yes' } else { 'no' }", "\"yes\"")]
    [InlineData("(1; 2)", "2")]
    [InlineData("xs | map(# * 2) | sum()", "12")]
    [InlineData("ss | sort() | join('-')", "\"a-b-c\"")]
    // Predicates.
    [InlineData("all(xs, # > 0)", "true")]
    [InlineData("any(xs, {# > 2})", "true")]
    [InlineData("none(xs, # > 3)", "true")]
    [InlineData("one(xs, # == 2)", "true")]
    [InlineData("filter(xs, # % 2 == 1)", "[1,3]")]
    [InlineData("map(xs, # * #index)", "[0,2,6]")]
    [InlineData("count(xs, # > 1)", "2")]
    [InlineData("count([true, false, true])", "2")]
    [InlineData("sum(xs)", "6")]
    [InlineData("sum(xs, # * 1.5)", "9")]
    [InlineData("find(xs, # > 1)", "2")]
    [InlineData("findIndex(xs, # > 1)", "1")]
    [InlineData("findLast(xs, # > 1)", "3")]
    [InlineData("findLastIndex(xs, # > 5)", "null")]
    [InlineData("groupBy(xs, # % 2)[1]", "[1,3]")]
    [InlineData("sortBy(ss, #)", "[\"a\",\"b\",\"c\"]")]
    [InlineData("sortBy(xs, #, 'desc')", "[3,2,1]")]
    [InlineData("reduce(xs, #acc + #)", "6")]
    [InlineData("reduce(xs, #acc + #, 10)", "16")]
    [InlineData("map(app.status.resources, .kind)", "[\"Deployment\",\"Service\"]")]
    [InlineData("any(app.status.resources, {.health?.status == 'Healthy'})", "true")]
    // Builtins.
    [InlineData("len(s)", "5")]
    [InlineData("len(m)", "3")]
    [InlineData("type(n) + type(f) + type(s) + type(xs) + type(m) + type(nil)", "\"intfloatstringarraymapnil\"")]
    [InlineData("abs(-2)", "2")]
    [InlineData("ceil(1.2) + floor(1.8) + round(2.5)", "6")]
    [InlineData("int('42') + int(2.9)", "44")]
    [InlineData("float('1.5')", "1.5")]
    [InlineData("string(m)", "\"map[a:1 b:<nil> nested:map[k:v]]\"")]
    [InlineData("string(xs)", "\"[1 2 3]\"")]
    [InlineData("trim('  a  ') + trim('xxaxx', 'x')", "\"aa\"")]
    [InlineData("trimPrefix('prefix-a', 'prefix-') + trimSuffix('a.yaml', '.yaml')", "\"aa\"")]
    [InlineData("upper('a') + lower('B')", "\"Ab\"")]
    [InlineData("split('a,b,c', ',')", "[\"a\",\"b\",\"c\"]")]
    [InlineData("split('a,b,c', ',', 2)", "[\"a\",\"b,c\"]")]
    [InlineData("splitAfter('a,b', ',')", "[\"a,\",\"b\"]")]
    [InlineData("replace('aaa', 'a', 'b')", "\"bbb\"")]
    [InlineData("replace('aaa', 'a', 'b', 2)", "\"bba\"")]
    [InlineData("repeat('ab', 3)", "\"ababab\"")]
    [InlineData("join(['a', 'b'], ', ')", "\"a, b\"")]
    [InlineData("indexOf('héllo', 'l')", "3")]
    [InlineData("lastIndexOf('hello', 'l')", "3")]
    [InlineData("hasPrefix('hello', 'he') && hasSuffix('hello', 'lo')", "true")]
    [InlineData("max(1, 2.5, 2)", "2.5")]
    [InlineData("min(xs)", "1")]
    [InlineData("max([])", "null")]
    [InlineData("mean(xs)", "2")]
    [InlineData("median([1, 5, 2, 4])", "3")]
    [InlineData("toJSON({b: 1, a: [1]})", "\"{\\n  \\\"a\\\": [\\n    1\\n  ],\\n  \\\"b\\\": 1\\n}\"")]
    [InlineData("fromJSON('{\"a\": 1}').a", "1")]
    [InlineData("toBase64('hi') + fromBase64('aGk=')", "\"aGk=hi\"")]
    [InlineData("duration('1h30m')", "5400000000000")]
    [InlineData("date('2024-01-02T03:04:05Z').Year()", "2024")]
    [InlineData("date('2024-01-02', '2006-01-02').Format('Jan 2')", "\"Jan 2\"")]
    [InlineData("first(xs) + last(xs)", "4")]
    [InlineData("first([])", "null")]
    [InlineData("get(xs, 9)", "null")]
    [InlineData("get(m, 'a')", "1")]
    [InlineData("take(xs, 2)", "[1,2]")]
    [InlineData("keys(m)", "[\"a\",\"b\",\"nested\"]")]
    [InlineData("values({a: 1, b: 2})", "[1,2]")]
    [InlineData("toPairs({a: 1})", "[[\"a\",1]]")]
    [InlineData("fromPairs([['a', 1]])['a']", "1")]
    [InlineData("reverse(xs)", "[3,2,1]")]
    [InlineData("uniq([1, 1.0, 2, 'a', 'a'])", "[1,2,\"a\"]")]
    [InlineData("concat(xs, [4])", "[1,2,3,4]")]
    [InlineData("flatten([1, [2, [3]]])", "[1,2,3]")]
    [InlineData("sort(xs, 'desc')", "[3,2,1]")]
    [InlineData("bitand(12, 10) + bitor(12, 10) + bitxor(12, 10) + bitnand(12, 10) + bitnot(0)", "31")]
    [InlineData("bitshl(1, 4) + bitshr(16, 2) + bitushr(-1, 63)", "21")]
    [InlineData("$env.n", "3")]
    // Corners found by differential fuzzing against expr-lang v1.17.8.
    [InlineData("+nothing", "null")]
    [InlineData("'a' in +m", "true")]
    [InlineData("'Ünï'[1:][1:]", "\"nï\"")]
    [InlineData("'Ünï'[0:1] + 'Ünï'[1:] == 'Ünï'", "true")]
    [InlineData("len('Ünï'[1:])", "3")]
    [InlineData("count(s, # % 2 == 0)", "3")]
    [InlineData("xs?.[1:]", "[2,3]")]
    [InlineData("`a``b`", "\"a`b\"")]
    [InlineData("'\\u{1F600}'", "\"😀\"")]
    [InlineData("sort(nothing)", "null")]
    [InlineData("false ? nothing.x(1 % 1.5) : 1", "1")]
    [InlineData("s matches '(?i)H(?:É)'", "true")]
    public void Evaluates_AsExprDoes(string expression, string expectedJson) =>
        AssertResult(expression, expectedJson, typed: false);

    [Theory]
    [InlineData("'a' + 1")]
    [InlineData("1 + 'a'")]
    [InlineData("'a' == 1")]
    [InlineData("nil < 1")]
    [InlineData("1 in nil")]
    [InlineData("true && 1")]
    [InlineData("!1")]
    [InlineData("-'a'")]
    [InlineData("1 ? 2 : 3")]
    [InlineData("nothing ?: 1")]
    [InlineData("1.5 % 2")]
    [InlineData("n % 0")]
    [InlineData("nothing.field")]
    [InlineData("xs[5]")]
    [InlineData("m[1]")]
    [InlineData("'abc'[0]")]
    [InlineData("int('x')")]
    [InlineData("repeat('a', -1)")]
    [InlineData("join(xs)")]
    [InlineData("count(xs)")]
    [InlineData("reduce([], #acc + #)")]
    [InlineData("filter(xs, #index > 0)")]
    [InlineData("upper(1)")]
    [InlineData("max()")]
    [InlineData("s matches '('")]
    [InlineData("x ?? 1 + 2")]
    [InlineData("let len = 1; len")]
    [InlineData("toJSON(groupBy(xs, #))")]
    [InlineData("toJSON(1 / 0 - 1 / 0)")]
    [InlineData("duration('soon')")]
    [InlineData("1 +")]
    [InlineData("(1")]
    [InlineData("'unterminated")]
    [InlineData("# > 1")]
    [InlineData("[in]")]
    [InlineData("m ?? and")]
    [InlineData("2.5in[]")]
    [InlineData("\"it\\'s\"")]
    [InlineData("'\\1e9'")]
    [InlineData("nothing and -1 != nil")]
    [InlineData("xs[nothing:]")]
    [InlineData("map(b and true, # + 1)")]
    [InlineData("s matches '(?n)x'")]
    [InlineData("s matches '(?=x)'")]
    [InlineData("filter(xs, {.# > 5})")]
    [InlineData("sort?.m(xs)")]
    [InlineData("min(len(s), 1 - 9.5) == -37")]
    public void Fails_AsExprDoes(string expression) => AssertResult(expression, expectedJson: null, typed: false);

    [Theory]
    [InlineData("n + 1", "4")]
    [InlineData("unknownName == nil", null)]
    [InlineData("n + s", null)]
    [InlineData("s[0]", null)]
    [InlineData("m.anything", "null")]
    [InlineData("xs['a']", null)]
    [InlineData("let n = 1; n", null)]
    [InlineData("len(xs) > 2 and b", "true")]
    public void TypedMode_ChecksNamesAndTypesAtCompileTime(string expression, string? expectedJson) =>
        AssertResult(expression, expectedJson, typed: true);

    [Fact]
    public void UntypedMode_ResolvesUnknownNamesToNilAtRunTime() =>
        AssertResult("unknownName == nil", "true", typed: false);

    [Fact]
    public void ArgoHelpers_TimeValuesHaveGoMethods()
    {
        string line = JsonSerializer.Serialize(new
        {
            expr = "time.Parse('2024-01-01T00:00:00Z').Add(90 * time.Minute).Sub(time.Parse('2024-01-01T01:00:00Z')).Minutes() + " +
                   "(time.Parse('2024-01-01T00:00:00Z').Before(time.Parse('2024-01-02T00:00:00Z')) ? 1 : 0) + len(strings.ToUpper('ab'))",
            env = new { },
            argo = true,
        });
        Assert.Equal("{\"ok\":33}", ExprEvalCommand.Evaluate(line));
    }

    [Fact]
    public void CompiledProgram_RunsAgainstManyEnvironments_AndIsThreadSafe()
    {
        var program = ExprProgram.Compile("app.status.sync.status == 'Synced' and len(app.metadata.name) > 3");
        var apps = Enumerable.Range(0, 200).Select(i => (ObjectMap)ObjectModel.FromJson(
            "{\"app\": {\"metadata\": {\"name\": \"app-" + i + "\"}, \"status\": {\"sync\": {\"status\": \"" + (i % 2 == 0 ? "Synced" : "OutOfSync") + "\"}}}}")!).ToArray();
        Parallel.For(0, 2_000, i => Assert.Equal(i % 200 % 2 == 0, program.RunBool(apps[i % 200])));
    }

    private static void AssertResult(string expression, string? expectedJson, bool typed)
    {
        string line = "{\"expr\":" + JsonSerializer.Serialize(expression) + ",\"env\":" + Env + (typed ? ",\"typed\":true" : string.Empty) + "}";
        string result = ExprEvalCommand.Evaluate(line);
        using JsonDocument doc = JsonDocument.Parse(result);
        if (expectedJson is null)
        {
            Assert.True(doc.RootElement.TryGetProperty("err", out _), $"{expression} should fail, got {result}");
            return;
        }

        Assert.True(doc.RootElement.TryGetProperty("ok", out JsonElement ok), $"{expression} failed: {result}");
        using JsonDocument expected = JsonDocument.Parse(expectedJson);
        Assert.True(ConformanceTests.JsonValuesEqual(expected.RootElement, ok), $"{expression}: expected {expectedJson}, got {ok.GetRawText()}");
    }
}
