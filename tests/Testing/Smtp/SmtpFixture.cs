using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Lookout.Testing.Smtp;

/// <summary>
/// A real SMTP server for the tests: Debian's python3-aiosmtpd (installed when missing) on a free 127.0.0.1 port,
/// storing each mail it accepts in a private Maildir that the tests read back (<see cref="Messages"/>).
/// </summary>
public sealed class SmtpFixture : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly string folder = Directory.CreateTempSubdirectory("lookout-smtp-").FullName;
    private Process? server;

    /// <summary>The SMTP port.</summary>
    public int Port { get; } = FreePorts.Next();

    /// <summary>The Maildir the server writes to.</summary>
    public string MailDirectory => Path.Combine(folder, "mail");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        // The test command installs the package; a fixture only starts servers.
        string? missing = DebianPackages.Missing("python3-aiosmtpd", "/usr/lib/python3/dist-packages/aiosmtpd/__init__.py");
        if (missing is not null)
        {
            throw new InvalidOperationException(missing);
        }

        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the server (again) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Python)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDirectory })
        {
            start.ArgumentList.Add(a);
        }

        server = Process.Start(start) ?? throw new InvalidOperationException("cannot start aiosmtpd");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {server.ExitCode}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException("aiosmtpd did not start within 30 s");
    }

    /// <summary>Stops the server (an SMTP outage).</summary>
    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }

        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync().ConfigureAwait(false);
        server.Dispose();
        server = null;
    }

    /// <summary>The raw messages received so far (RFC 5322 text, with aiosmtpd's X-MailFrom and X-RcptTo headers).</summary>
    public IReadOnlyList<string> Messages()
    {
        string newMail = Path.Combine(MailDirectory, "new");
        return Directory.Exists(newMail)
            ? Directory.GetFiles(newMail).Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList()
            : [];
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<string> messages = Messages();
            if (messages.Count >= count)
            {
                return messages;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{messages.Count} of {count} mails arrived within {timeout}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
