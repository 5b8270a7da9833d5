using System.Diagnostics;

namespace Lookout.Testing;

/// <summary>
/// The Debian packages whose servers the fixtures start. Fixtures never install anything (scripts/test does, as CI
/// runs it): a missing package makes its tests report themselves skipped with the command that installs it, and
/// scripts/test fails a run that skipped anything.
/// </summary>
public static class DebianPackages
{
    /// <summary>
    /// Null when <paramref name="package"/> is installed (checked by <paramref name="probePath"/>); otherwise the
    /// skip reason, naming the command that installs it.
    /// </summary>
    public static string? Missing(string package, string probePath) =>
        File.Exists(probePath)
            ? null
            : $"the Debian package {package} is not installed ({probePath} is missing): run scripts/test, which installs what the tests need, or 'apt-get install {package}'";

    /// <summary>Runs a program to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout ?? TimeSpan.FromMinutes(5)}");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
