using Lookout.Sprig;
using Lookout.Values;

namespace Lookout.Templates.Tests;

/// <summary>The evaluation budget in templates: nesting, steps, allocation and output end in a clear error for that execution.</summary>
public sealed class LimitsTests
{
    // The time limit is out of these tests' way (a loaded machine would reach it first); each test asserts another limit.
    private static readonly TemplateOptions Sprig = new() { Functions = SprigFunctions.Create(), Limits = new EvaluationLimits { MaxTime = TimeSpan.FromMinutes(5) } };

    private static string Render(string text, TemplateOptions? options = null) =>
        GoTemplate.Parse("t", text, options ?? Sprig).Execute(null);

    private static string Times(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    [Theory]
    [InlineData("(", ")", "max expression depth exceeded")]
    [InlineData("(print ", ")", "max expression depth exceeded")]
    public void DeepParentheses_FailToParseWithThePosition(string open, string close, string reason)
    {
        var ex = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("t", "{{" + Times(open, 5000) + "1" + Times(close, 5000) + "}}", Sprig));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
        Assert.Equal(3 + (1000 * open.Length), ex.Column);
    }

    [Theory]
    [InlineData("{{if 1}}")]
    [InlineData("{{with 1}}")]
    [InlineData("{{range until 1}}")]
    [InlineData("{{block \"b\" .}}")]
    public void DeepBlocks_FailToParse(string open)
    {
        var ex = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("t", Times(open, 5000) + Times("{{end}}", 5000), Sprig));
        Assert.Contains("max block depth exceeded (limit 1000, EvaluationLimits.MaxDepth)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ElseIfChains_CountAsNesting()
    {
        var ex = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("t", "{{if 0}}" + Times("{{else if 0}}", 5000) + "{{end}}"));
        Assert.Contains("max block depth exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingUpToTheLimit_Renders() =>
        Assert.Equal("x", Render(Times("{{if 1}}", 999) + "x" + Times("{{end}}", 999)));

    [Fact]
    public void TheDepthLimit_IsASetting()
    {
        var options = new TemplateOptions { Limits = new EvaluationLimits { MaxDepth = 10 } };
        Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("t", "{{" + Times("(", 11) + "1" + Times(")", 11) + "}}", options));
        Assert.Equal("1", GoTemplate.Parse("t", "{{" + Times("(", 10) + "1" + Times(")", 10) + "}}", options).Execute(null));
    }

    [Theory]
    [InlineData("{{range $i := until 1000000000}}{{if eq $i 3}}{{break}}{{end}}{{$i}}{{end}}", "012")]
    [InlineData("{{range $i, $v := until -3}}{{$i}}:{{$v}} {{end}}", "0:0 1:-1 2:-2 ")]
    [InlineData("{{range until 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range until 0}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{range $v := until 4}}{{if eq $v 1}}{{continue}}{{end}}{{$v}}{{end}}", "023")]
    [InlineData("{{$n := 2}}{{range until $n}}{{.}}{{end}}", "01")]
    public void RangeOverUntil_IteratesWithoutBuildingTheList(string text, string expected) =>
        Assert.Equal(expected, Render(text));

    [Fact]
    public void RangeOverUntil_StopsAtTheStepLimit()
    {
        var ex = Assert.Throws<TemplateExecException>(() => Render("{{range until 100000000}}{{end}}"));
        Assert.StartsWith("template: t:1:3: executing \"t\" at <{{range until", ex.Message, StringComparison.Ordinal);
        Assert.Contains("budget exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{repeat 1000000000 \"x\"}}", "error calling repeat: evaluation memory budget exceeded")]
    [InlineData("{{$x := 1}}{{range until 1000}}{{$x = dict \"a\" $x \"b\" 1}}{{end}}{{toPrettyJson $x}}", "error calling toPrettyJson: evaluation memory budget exceeded: more than 4000000 elements and characters (EvaluationLimits.MaxAllocation)")]
    [InlineData("{{$x := list (repeat 100 \"x\")}}{{range until 500}}{{$x = list $x $x}}{{end}}{{toJson $x}}", "error calling toJson: evaluation memory budget exceeded")]
    [InlineData("{{printf \"%1000000v\" (until 1000)}}", "error calling printf: evaluation memory budget exceeded")]
    [InlineData("{{until 100000000 | len}}", "error calling until: evaluation memory budget exceeded")]
    [InlineData("{{$s := \"x\"}}{{range until 40}}{{$s = cat $s $s}}{{end}}", "error calling cat: evaluation memory budget exceeded")]
    [InlineData("{{$s := \"x\"}}{{range until 40}}{{$s = printf \"%s%s\" $s $s}}{{end}}", "error calling printf: evaluation memory budget exceeded")]
    [InlineData("{{printf \"%1000000000d\" 1}}", "error calling printf: evaluation memory budget exceeded")]
    [InlineData("{{$l := list 1}}{{range until 40}}{{$l = concat $l $l}}{{end}}", "error calling concat: evaluation memory budget exceeded")]
    public void Allocations_AreCheckedBeforeTheyHappen(string text, string error)
    {
        var ex = Assert.Throws<TemplateExecException>(() => Render(text));
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{$x}}")]
    [InlineData("{{toJson $x}}")]
    [InlineData("{{deepCopy $x}}")]
    [InlineData("{{deepEqual $x $x}}")]
    public void DeepValues_AreRefusedByTheWalks(string walk)
    {
        var ex = Assert.Throws<TemplateExecException>(() => Render("{{$x := dict}}{{range until 5000}}{{$x = dict \"a\" $x}}{{end}}" + walk));
        Assert.Contains("nested deeper than the limit of 1000 levels (EvaluationLimits.MaxDepth)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesSharingTheirLists_CannotMakeAWalkExponential()
    {
        var ex = Assert.Throws<TemplateExecException>(() => Render("{{$x := 1}}{{range until 200}}{{$x = list $x $x}}{{end}}{{toJson $x}}"));
        // The step limit, or on a slow machine the time limit, whichever comes first.
        Assert.Contains("budget exceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExecutionOverBudget_LeavesTheNextOneItsWholeBudget()
    {
        GoTemplate t = GoTemplate.Parse("t", "{{range until .n}}{{repeat 1000 \"x\" | len}}{{end}}", new TemplateOptions { Functions = SprigFunctions.Create(), Limits = new EvaluationLimits { MaxAllocation = 10_000 } });
        Assert.Throws<TemplateExecException>(() => t.Execute(new ObjectMap { ["n"] = 11 }));
        Assert.Equal(string.Concat(Enumerable.Repeat("1000", 9)), t.Execute(new ObjectMap { ["n"] = 9 }));
    }

    [Fact]
    public void CatastrophicRegex_AnswersAsRe2() =>
        Assert.Equal("false", Render("{{regexMatch \"(a+)+$\" (printf \"%s!\" (repeat 100000 \"a\"))}}"));
}
