using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Lookout.Hostile.Tests;

/// <summary>What one child process of a JSON-lines tool did: its answers, exit status, peak memory and CPU time.</summary>
public sealed record ChildRun(int ExitCode, IReadOnlyList<string> Answers, string Errors, long PeakRssKb, TimeSpan Cpu, TimeSpan Wall, bool TimedOut)
{
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (killed: timed out)" : string.Empty)}, {Answers.Count} answer(s), peak RSS {PeakRssKb / 1024} MiB, CPU {Cpu.TotalMilliseconds:F0} ms, wall {Wall.TotalMilliseconds:F0} ms" +
        (Errors.Length > 0 ? $", stderr: {(Errors.Length > 2000 ? Errors[..2000] + "..." : Errors)}" : string.Empty);
}

/// <summary>
/// Runs the JSON-lines tools (<c>lookout-lang expr eval</c>, <c>lookout-lang template render</c>, which the notifier
/// also answers) in a child process, as a user would, so a case that kills the process fails its test instead of the test run. The child runs with its GC
/// heap capped at 192 MiB (<c>DOTNET_GCHeapHardLimit</c>): a case that needs more dies of out-of-memory and its exit
/// status says so. Peak resident memory (<c>VmHWM</c>) and CPU time are sampled from <c>/proc</c> while it runs.
/// </summary>
public static class LangTool
{
    /// <summary>The bound on a child's peak resident memory.</summary>
    public const long MemoryLimitBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The child's GC heap cap: below <see cref="MemoryLimitBytes"/> by what the runtime itself keeps resident (code,
    /// stacks, the GC's own tables), so a child that stays within its heap also stays within the resident bound and one
    /// that needs more dies of out-of-memory, which its exit status reports.
    /// </summary>
    public const long HeapLimitBytes = 192L * 1024 * 1024;

    /// <summary>What a child may take before it is killed (far above the one second asked of a case: a guard, not the assertion).</summary>
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(60);

    private static readonly Lazy<ChildRun> ExprBaseline = new(() => Run("expr", ["{\"expr\":\"1 + 1\"}"]));
    private static readonly Lazy<ChildRun> TemplateBaseline = new(() => Run("template", ["{\"template\":\"{{ upper \\\"x\\\" }}\",\"sprig\":true}"]));

    /// <summary>A trivial case's run: the start-up cost every child pays, subtracted from a case's CPU time.</summary>
    public static ChildRun Baseline(string tool) => tool == "expr" ? ExprBaseline.Value : TemplateBaseline.Value;

    /// <summary>Runs <paramref name="lines"/> through the tool (<c>expr</c> or <c>template</c>) in one child process.</summary>
    public static ChildRun Run(string tool, IReadOnlyList<string> lines)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "lookout-lang.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(tool);
        start.ArgumentList.Add(tool == "expr" ? "eval" : "render");
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";

        var wall = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        int pid = process.Id;
        long peakKb = 0;
        TimeSpan cpu = TimeSpan.Zero;
        using var sampling = new CancellationTokenSource();
        // A thread of its own, not the thread pool: the tests block pool threads while their children run, and a
        // sampler queued behind them would start after a short child had already exited (reading no CPU at all).
        var sampler = new Thread(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                Sample(pid, ref peakKb, ref cpu);
                sampling.Token.WaitHandle.WaitOne(5);
            }
        })
        { IsBackground = true, Name = "hostile-sampler" };
        sampler.Start();

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            foreach (string line in lines)
            {
                process.StandardInput.WriteLine(line);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child died before reading everything; its exit status tells the story.
        }

        bool exited = process.WaitForExit(KillAfter);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        sampling.Cancel();
        sampler.Join();
        wall.Stop();
        string output = stdout.Result;
        string[] answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ChildRun(exited ? process.ExitCode : -1, answers, stderr.Result.Trim(), peakKb, cpu, wall.Elapsed, !exited);
    }

    // VmHWM (peak resident set) from status, user + system time from stat, while the process lives.
    private static void Sample(int pid, ref long peakKb, ref TimeSpan cpu)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peakKb = Math.Max(peakKb, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
                    break;
                }
            }

            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            cpu = TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Gone (or going): the last sample stands.
        }
    }
}
