using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Lookout.Hostile.Tests;

/// <summary>
/// Generated hostile inputs, in batches, each batch in one child process of the tool. By default a fixed number of
/// batches from a fixed seed, so CI is repeatable (<c>LOOKOUT_HOSTILE_BATCHES</c>, default 6, from
/// <c>LOOKOUT_HOSTILE_SEED</c>, default 1); to explore, set <c>LOOKOUT_HOSTILE_SEED=random</c> and
/// <c>LOOKOUT_HOSTILE_SECONDS</c> to run new seeds for that long. A failure names its seed so it can be replayed.
/// </summary>
public sealed class RandomHostileTests
{
    private const int BatchSize = 20;

    [Fact]
    public void GeneratedTemplates_AnswerWithinBounds() => RunFor("template", (g, i) => g.NextTemplate(i));

    [Fact]
    public void GeneratedExpressions_AnswerWithinBounds() => RunFor("expr", (g, i) => g.NextExpression(i));

    private static void RunFor(string tool, Func<HostileGenerator, int, HostileCase> next)
    {
        string? seedSetting = Environment.GetEnvironmentVariable("LOOKOUT_HOSTILE_SEED");
        bool explore = seedSetting == "random";
        int seed = explore ? Environment.TickCount & int.MaxValue : int.TryParse(seedSetting, CultureInfo.InvariantCulture, out int fixedSeed) ? fixedSeed : 1;
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("LOOKOUT_HOSTILE_SECONDS"), CultureInfo.InvariantCulture, out int s) ? s : 20;
        int batchLimit = int.TryParse(Environment.GetEnvironmentVariable("LOOKOUT_HOSTILE_BATCHES"), CultureInfo.InvariantCulture, out int b) ? b : 6;
        ChildRun baseline = LangTool.Baseline(tool);
        var clock = Stopwatch.StartNew();
        int batches = 0;
        do
        {
            var generator = new HostileGenerator(seed + batches);
            HostileCase[] cases = [.. Enumerable.Range(0, BatchSize).Select(i => next(generator, i))];
            ChildRun run = LangTool.Run(tool, [.. cases.Select(c => c.Line)]);
            string failing = run.Answers.Count < cases.Length ? $"; first case without an answer: {HostileAssert.Clip(cases[run.Answers.Count].Line)}" : string.Empty;
            Assert.True(run.ExitCode == 0 && run.Answers.Count == cases.Length, $"seed {seed + batches}: {run}{failing}");
            Assert.True(run.PeakRssKb * 1024 < LangTool.MemoryLimitBytes, $"seed {seed + batches}: {run}");
            TimeSpan beyondStartUp = run.Cpu - baseline.Cpu;
            Assert.True(beyondStartUp < HostileAssert.CpuBound * cases.Length, $"seed {seed + batches}: {beyondStartUp.TotalMilliseconds:F0} ms of CPU for {cases.Length} cases; {run}");
            foreach (string answer in run.Answers)
            {
                using JsonDocument doc = JsonDocument.Parse(answer, new JsonDocumentOptions { MaxDepth = 20_000 });
                Assert.True(doc.RootElement.TryGetProperty("ok", out _) ^ doc.RootElement.TryGetProperty("err", out _), $"seed {seed + batches}: not an answer: {HostileAssert.Clip(answer)}");
            }

            batches++;
        }
        while (explore ? clock.Elapsed < TimeSpan.FromSeconds(seconds) : batches < batchLimit);
    }
}
