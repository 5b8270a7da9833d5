namespace Lookout.Watcher.Verdicts;

/// <summary>How the watcher treats the analyzer's verdicts (configuration section <c>Verdicts</c>).</summary>
public sealed class VerdictOptions
{
    public const string SectionName = "Verdicts";

    /// <summary>When true, verdicts are logged and recorded as Events but never applied (promote/abort are not patched).</summary>
    public bool VoteOnly { get; set; }
}
