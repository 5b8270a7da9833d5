using System.Text.Json.Nodes;
using Lookout.Helm.Tests.Rendering;
using Lookout.Values.Yaml;

namespace Lookout.Helm.Tests;

/// <summary>The test renderer keeps Helm's semantics (helm pkg/engine), checked on small charts of its own.</summary>
public sealed class RendererTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("helm-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "include a define", """{{ define "x" }}[{{ . }}]{{ end }}{{ include "x" "a" | upper }}""", "[A]" },
        { "include from a partial", """{{ include "part.greet" .Values.name }}""", "hello world" },
        { "tpl sees values", """{{ tpl .Values.pattern . }}""", "name=world" },
        { "tpl can include", """{{ tpl "{{ include \"part.greet\" .Values.name }}" . }}""", "hello world" },
        { "missing value prints nothing", """[{{ .Values.nothing }}]""", "[]" },
        { "default quote nindent", """x:{{ default "d" .Values.nothing | quote | nindent 2 }}""", "x:\n  \"d\"" },
        { "indent", """{{ "a\nb" | indent 3 }}""", "   a\n   b" },
        { "toYaml sorts keys, leaves sequences unindented, quotes YAML 1.1 bools", """{{ toYaml .Values.tree }}""", "a:\n- 1\n- x: \"true\"\n  \"y\": \"\"\nb:\n  c: null" },
        { "toYaml of a multi-line string", """{{ toYaml (dict "s" "l1\nl2\n") }}""", "s: |\n  l1\n  l2" },
        { "numbers are float64 as in Helm", """{{ .Values.big }} {{ .Values.small }} {{ .Values.big | toJson }}""", "1e+06 2 1000000" },
        { "toJson fromJson", """{{ (fromJson "{\"a\":[1,2]}").a | toJson }}""", "[1,2]" },
        { "fromJson error", """{{ (fromJson "{").Error | empty | not }}""", "true" },
        { "fromYaml", """{{ (fromYaml "a: {b: c}").a.b }}""", "c" },
        { "lookup is empty", """{{ lookup "v1" "Secret" "ns" "x" | len }}""", "0" },
        { "Capabilities", """{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x/v9" }}""", "v1.31.0 true false" },
        { "Files", """{{ .Files.Get "files/a.txt" | trim }} {{ (.Files.Glob "files/*.txt").AsConfig }} {{ .Files.Get "missing" | quote }}""", "alpha a.txt: |\n  alpha \"\"" },
        { "Release Chart Template", """{{ .Release.Name }} {{ .Release.Namespace }} {{ .Chart.Name }} {{ .Chart.Version }} {{ .Template.Name }} {{ .Template.BasePath }}""", "lookout argocd demo 1.2.3 demo/templates/NOTES.txt demo/templates" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Template_RendersAsHelmWould(string what, string template, string expected)
    {
        WriteChart(("templates/t.yaml", template));

        Assert.NotEmpty(what);
        Assert.Equal(expected, RenderText());
    }

    [Fact]
    public void Required_FailsOnNilAndEmpty_WithTheMessage()
    {
        WriteChart(("templates/t.yaml", """{{ required "set .Values.url" .Values.url }}"""));

        var ex = Assert.Throws<ChartRenderException>(() => Render("url: ''"));
        Assert.Contains("set .Values.url", ex.Message, StringComparison.Ordinal);
        Assert.Contains("demo/templates/t.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Equal("amqp://x", RenderText("url: amqp://x"));
    }

    [Fact]
    public void Fail_StopsTheRender()
    {
        WriteChart(("templates/t.yaml", """{{ if .Values.bad }}{{ fail "bad is set" }}{{ end }}"""));

        Assert.Contains("bad is set", Assert.Throws<ChartRenderException>(() => Render("bad: true")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecursiveInclude_IsStopped()
    {
        WriteChart(("templates/t.yaml", """{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}"""));

        Assert.Contains("nested reference name: loop", Assert.Throws<ChartRenderException>(() => Render()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_IsSplitIntoDocuments_PartialsAndNotesApart()
    {
        WriteChart(
            ("templates/a.yaml", "---\n# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n"),
            ("templates/NOTES.txt", "installed {{ .Release.Name }}"));

        RenderResult result = new ChartRenderer(HelmChart.Load(directory)).Render();

        Assert.Equal(["one", "two"], result.Manifests.Select(m => m.Name));
        Assert.Equal("installed lookout", result.Notes);
    }

    [Fact]
    public void Overrides_Coalesce_MapsMergeAndNullRemoves()
    {
        WriteChart(("templates/t.yaml", """{{ toJson .Values.tree.b }} {{ hasKey .Values "name" }} {{ .Values.extra }}"""));

        Assert.Equal("""{"c":null,"d":1} false yes""", RenderText("tree: {b: {d: 1}}\nname: null\nextra: 'yes'"));
    }

    [Fact]
    public void Schema_RejectsBadValues_BeforeRendering()
    {
        WriteChart(("templates/t.yaml", "{{ .Values.name }}"));
        File.WriteAllText(Path.Combine(directory, "values.schema.json"), """{"type":"object","properties":{"name":{"type":"string","minLength":3}}}""");

        var ex = Assert.Throws<ChartRenderException>(() => Render("name: ab"));
        Assert.Contains("at '/name'", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> YamlRoundTrips => new()
    {
        "plain", "", "true", "no", "~", "null", "1", "1.5", "0x1F", "1e3", "- dash", "key: value", "a #b", "trailing:", " lead", "tail ",
        "multi\nline", "multi\nline\n", "two\n\n", "quote\"and\\slash", "tab\there", "{brace", "*star", "@at", "100m", "8080", "emoji ✓",
    };

    [Theory]
    [MemberData(nameof(YamlRoundTrips))]
    public void ToYaml_ReadsBackAsTheSameString(string value)
    {
        string yaml = GoYaml.Marshal(new Lookout.Values.ObjectMap { ["k"] = value, ["l"] = new List<object?> { value, new Lookout.Values.ObjectMap { ["m"] = value } } });

        // As in a template, something follows the YAML (at least a line break).
        JsonNode back = YamlDocuments.Parse(yaml + "\n", "toYaml").Single();
        Assert.Equal(value, (string?)back["k"]);
        Assert.Equal(value, (string?)back["l"]![0]);
        Assert.Equal(value, (string?)back["l"]![1]!["m"]);
    }

    private void WriteChart(params (string Path, string Text)[] templates)
    {
        File.WriteAllText(Path.Combine(directory, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"9\"\n");
        File.WriteAllText(Path.Combine(directory, "values.yaml"), """
            name: world
            pattern: "name={{ .Values.name }}"
            big: 1000000
            small: 2
            tree: {b: {c: null}, a: [1, {y: "", x: "true"}]}
            """);
        Directory.CreateDirectory(Path.Combine(directory, "templates"));
        Directory.CreateDirectory(Path.Combine(directory, "files"));
        File.WriteAllText(Path.Combine(directory, "files", "a.txt"), "alpha\n");
        File.WriteAllText(Path.Combine(directory, "templates", "_part.tpl"), """{{- define "part.greet" -}}hello {{ . }}{{- end -}}""");
        foreach ((string path, string text) in templates)
        {
            File.WriteAllText(Path.Combine(directory, path), text);
        }
    }

    private RenderResult Render(params string[] overrides) => new ChartRenderer(HelmChart.Load(directory)).Render(overrides);

    // A template's raw text, as NOTES.txt (rendered like any template, but not parsed as YAML).
    private string RenderText(params string[] overrides)
    {
        File.Move(Path.Combine(directory, "templates", "t.yaml"), Path.Combine(directory, "templates", "NOTES.txt"), overwrite: true);
        return Render(overrides).Notes;
    }
}
