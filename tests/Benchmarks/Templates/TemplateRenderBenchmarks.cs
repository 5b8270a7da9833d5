using BenchmarkDotNet.Attributes;
using Lookout.Sprig;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Benchmarks.Templates;

/// <summary>
/// Renders notification-sized templates over 1,000 different Applications (decoded once, as the notifier does).
/// One operation is one render; the Go twin (see README.md) renders the same templates on the same data.
/// </summary>
[MemoryDiagnoser]
public class TemplateRenderBenchmarks
{
    private List<object?> apps = [];
    private GoTemplate template = null!;
    private int next;

    [Params("app-deployed", "app-sync-failed-slack", "deployed-detailed", "resources-and-conditions")]
    public string Template { get; set; } = "app-deployed";

    [GlobalSetup]
    public void Setup()
    {
        apps = (List<object?>)ObjectModel.FromJson(NotificationTemplates.ApplicationsJson())!;
        template = GoTemplate.Parse(Template, NotificationTemplates.All[Template], new TemplateOptions { Functions = SprigFunctions.Create() });
    }

    [Benchmark]
    public string Render()
    {
        object? data = apps[next];
        next = next == apps.Count - 1 ? 0 : next + 1;
        return template.Execute(data);
    }
}
