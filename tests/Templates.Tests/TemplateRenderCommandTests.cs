using Lookout.Lang;

namespace Lookout.Templates.Tests;

public sealed class TemplateRenderCommandTests
{
    private static async Task<string[]> Run(params string[] lines)
    {
        using var input = new StringReader(string.Join('\n', lines));
        using var output = new StringWriter();
        int status = await TemplateRenderCommand.RunAsync(input, output, CancellationToken.None);
        Assert.Equal(0, status);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task RendersEachLine_AsOkOrErr()
    {
        string[] results = await Run(
            """{"template":"{{.app.metadata.name}} is {{.app.status.sync.status}}","data":{"app":{"metadata":{"name":"guestbook"},"status":{"sync":{"status":"Synced"}}}}}""",
            """{"template":"{{.a.b}}","data":{"a":{}},"missingkey":"error"}""",
            """{"template":"{{ upper .x }}","data":{"x":"abc"},"sprig":true}""",
            """{"template":"{{ call .repo.FullNameByRepoURL .app.spec.source.repoURL }}","data":{"app":{"spec":{"source":{"repoURL":"https://github.com/argoproj/argo-cd.git"}}}},"argo":true}""");
        Assert.Equal(
            [
                """{"ok":"guestbook is Synced"}""",
                """{"err":"template: t:1:5: executing \"t\" at <.a.b>: map has no entry for key \"b\""}""",
                """{"ok":"ABC"}""",
                """{"ok":"argoproj/argo-cd"}""",
            ],
            results);
    }
}
