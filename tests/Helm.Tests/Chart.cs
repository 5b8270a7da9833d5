using Lookout.Helm.Tests.Rendering;
using Lookout.Helm.Tests.Validation;

namespace Lookout.Helm.Tests;

/// <summary>The chart under test (copied beside the test assembly) and the variants its README documents.</summary>
internal static class Chart
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "helm", "lookout");

    private static readonly Lazy<HelmChart> Loaded = new(() => HelmChart.Load(Directory));

    public static ChartRenderer Renderer => new(Loaded.Value);

    /// <summary>The documented variants: ci/&lt;name&gt;-values.yaml (chart-testing's convention), plus the defaults.</summary>
    public static readonly string[] Variants = ["default", "external-rabbitmq", "rabbitmq-operator", "monitoring", "ha", "analyzer-secrets", "namespaced"];

    public static RenderResult Render(params string[] overrides) => overrides.Length == 0 ? RenderVariant("default") : Renderer.Render(overrides);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, RenderResult> Rendered = new(StringComparer.Ordinal);

    /// <summary>A variant's render, made once per test run (tests only read it).</summary>
    public static RenderResult RenderVariant(string variant) => Rendered.GetOrAdd(variant, v => Renderer.Render(VariantValues(v)));

    public static string[] VariantValues(string variant) =>
        variant == "default" ? [] : [File.ReadAllText(Path.Combine(Directory, "ci", $"{variant}-values.yaml"))];

    /// <summary>Every manifest of a render, checked; the messages of those that fail.</summary>
    public static IReadOnlyList<string> Problems(RenderResult result) => [.. result.Manifests.SelectMany(ManifestValidator.Validate)];

    public static TheoryData<string> VariantData() => [.. Variants];
}
