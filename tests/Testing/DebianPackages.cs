using System.Diagnostics;

namespace Lookout.Testing;

/// <summary>Installs the Debian packages whose servers the fixtures start, when a machine does not have them yet.</summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>
    /// Makes sure <paramref name="package"/> is installed (checked by <paramref name="probePath"/>), installing it with
    /// apt-get (through sudo when not root) without starting its system service: the tests run private servers.
    /// </summary>
    public static async Task EnsureInstalledAsync(string package, string probePath)
    {
        if (File.Exists(probePath))
        {
            return;
        }

        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (File.Exists(probePath))
            {
                return;
            }

            // policy-rc.d answering 101 keeps the package's own service from starting during the install.
            string script = $"""
                set -e
                created=false
                if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created=true; fi
                apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {package}
                if $created; then rm -f /usr/sbin/policy-rc.d; fi
                """;
            bool root = Environment.UserName == "root";
            (int code, string output) = await RunAsync(root ? "bash" : "sudo", root ? ["-c", script] : ["-n", "bash", "-c", script]).ConfigureAwait(false);
            if (code != 0 || !File.Exists(probePath))
            {
                throw new InvalidOperationException($"installing the Debian package {package} failed (exit {code}); run scripts/test, which installs it:\n{output}");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

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
