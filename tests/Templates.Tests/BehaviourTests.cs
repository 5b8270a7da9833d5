using Lookout.Values;

namespace Lookout.Templates.Tests;

public sealed class BehaviourTests
{
    private static ObjectMap Data() => (ObjectMap)ObjectModel.FromJson("""{"a":{"b":1},"xs":[1,2,3]}""")!;

    [Theory]
    [InlineData(MissingKey.Default, "<no value>")]
    [InlineData(MissingKey.Zero, "<no value>")]
    public void MissingKey_PrintsLikeGo(MissingKey option, string expected) =>
        Assert.Equal(expected, GoTemplate.Parse("t", "{{.a.zz}}", new TemplateOptions { MissingKey = option }).Execute(Data()));

    [Fact]
    public void MissingKeyError_StopsWithTheKey()
    {
        var ex = Assert.Throws<TemplateExecException>(() => GoTemplate.Parse("t", "{{.a.zz}}", new TemplateOptions { MissingKey = MissingKey.Error }).Execute(Data()));
        Assert.Contains("map has no entry for key \"zz\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseError_NamesTheSourceLineAndColumn()
    {
        var ex = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("message", "line one\nsecond {{ .x | nofunc }}", source: "argocd-notifications-cm template.app-deployed message"));
        Assert.Equal(2, ex.Line);
        Assert.Equal(16, ex.Column);
        Assert.StartsWith("template: argocd-notifications-cm template.app-deployed message:2:16: function \"nofunc\" not defined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecError_NamesTheAction_AndNoPartialTextEscapes()
    {
        GoTemplate t = GoTemplate.Parse("t", "before {{len .a.b}} after");
        var ex = Assert.Throws<TemplateExecException>(() => t.Execute(Data()));
        Assert.Contains("at <len .a.b>", ex.Message, StringComparison.Ordinal);
        Assert.Contains("error calling len: len of type int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recursion_IsBounded()
    {
        GoTemplate t = GoTemplate.Parse("t", "{{define \"r\"}}x{{template \"r\" .}}{{end}}{{template \"r\" .}}", new TemplateOptions { Limits = new EvaluationLimits { MaxDepth = 50 } });
        var ex = Assert.Throws<TemplateExecException>(() => t.Execute(null));
        Assert.Contains("exceeded maximum template depth (50, EvaluationLimits.MaxDepth)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_IsBounded()
    {
        GoTemplate t = GoTemplate.Parse("t", "{{range .xs}}{{range $.xs}}0123456789{{end}}{{end}}", new TemplateOptions { Limits = new EvaluationLimits { MaxOutputChars = 50 } });
        var ex = Assert.Throws<TemplateExecException>(() => t.Execute(Data()));
        Assert.Contains("output exceeds the limit of 50 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Iterations_AreBounded()
    {
        GoTemplate t = GoTemplate.Parse("t", "{{range 100000}}{{end}}", new TemplateOptions { Limits = new EvaluationLimits { MaxSteps = 1000 } });
        var ex = Assert.Throws<TemplateExecException>(() => t.Execute(null));
        Assert.Contains("more than 1000 steps (EvaluationLimits.MaxSteps)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ElseWith_AndRangeOverInt_AsInCurrentGo()
    {
        Assert.Equal("B=2|012", GoTemplate.Parse("t", "{{with .a.zz}}A{{else with .a.b}}B={{.}}{{end}}|{{range $i := 3}}{{$i}}{{end}}").Execute(Dict("a", Dict("b", 2L))));
    }

    [Fact]
    public void Functions_AreCalledWithGoFunctionSemantics()
    {
        var upper = new GoFunction("upper", 1, 1, a => ((string)a[0]!).ToUpperInvariant());
        var fail = new GoFunction("fail", 1, 1, a => throw new GoFunctionException((string)a[0]!));
        var options = new TemplateOptions { Functions = new Dictionary<string, GoFunction> { ["upper"] = upper, ["fail"] = fail } };
        Assert.Equal("ABC", GoTemplate.Parse("t", "{{\"abc\" | upper}}", options).Execute(null));
        var ex = Assert.Throws<TemplateExecException>(() => GoTemplate.Parse("t", "{{fail \"boom\"}}", options).Execute(null));
        Assert.Contains("error calling fail: boom", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Call_InvokesAFunctionValue()
    {
        var data = Dict("f", new GoFunction("f", 2, 2, a => $"{a[0]}+{a[1]}"));
        Assert.Equal("1+x", GoTemplate.Parse("t", "{{call .f 1 \"x\"}}").Execute(data));
    }

    private static ObjectMap Dict(string key, object? value) => new() { [key] = value };
}
