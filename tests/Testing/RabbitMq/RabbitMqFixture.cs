using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Lookout.Testing.RabbitMq;

/// <summary>
/// A private RabbitMQ node for the tests: Debian's rabbitmq-server, run as the current user on free 127.0.0.1 ports
/// with its own data folder and its own epmd, stopped and removed afterwards. One per test collection; tests may
/// stop and start it to play a broker outage. It installs nothing and writes nothing outside its temporary folder:
/// when the package is missing, <see cref="SkipUnlessAvailable"/> skips the test, naming the install command.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private const string ServerPath = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string CtlPath = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    private readonly string folder = Directory.CreateTempSubdirectory("lookout-rabbitmq-").FullName;
    private readonly string node = $"lookout{System.Environment.ProcessId}x{Random.Shared.Next(100_000):D5}@localhost";
    private readonly int epmdPort = FreePorts.Next();
    private readonly int distPort = FreePorts.Next();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private Process? server;

    /// <summary>The AMQP port.</summary>
    public int Port { get; } = FreePorts.Next();

    /// <summary>The URL services and tests connect with.</summary>
    public string Url => $"amqp://guest:guest@127.0.0.1:{Port}/";

    /// <summary>Whether the node is running.</summary>
    public bool IsRunning => server is { HasExited: false };

    /// <summary>Why no node could be started (the package is missing), or null.</summary>
    public string? MissingReason { get; } = DebianPackages.Missing("rabbitmq-server", ServerPath);

    /// <summary>Skips the calling test (a <c>[SkippableFact]</c>) when no node could be started.</summary>
    public void SkipUnlessAvailable() => Skip.If(MissingReason is not null, MissingReason);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (MissingReason is not null)
        {
            return;
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(
            Path.Combine(folder, "rabbitmq.conf"),
            $"listeners.tcp.1 = 127.0.0.1:{Port}\nloopback_users = none\n").ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the node (again) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(ServerPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach ((string key, string value) in NodeEnvironment())
        {
            start.Environment[key] = value;
        }

        server = Process.Start(start) ?? throw new InvalidOperationException("cannot start rabbitmq-server");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        // A loaded machine (CI, several builds at once) can take minutes to boot Erlang: rabbitmqctl calls that
        // time out count as "not up yet" until the deadline; a node that never comes up is killed, not left behind.
        var deadline = Stopwatch.StartNew();
        string last = string.Empty;
        while (deadline.Elapsed < StartTimeout)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {server.ExitCode}; logs in {folder}/log");
            }

            try
            {
                (int code, string output) = await Ctl("await_startup").ConfigureAwait(false);
                if (code == 0)
                {
                    return;
                }

                last = output;
            }
            catch (TimeoutException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync().ConfigureAwait(false);
        server.Dispose();
        server = null;
        throw new TimeoutException($"RabbitMQ node {node} did not start within {StartTimeout.TotalSeconds:F0} s: {last}");
    }

    /// <summary>
    /// Closes every client connection, as the end of a client process does: what those clients held unacknowledged
    /// goes back to its queue.
    /// </summary>
    public async Task CloseClientConnectionsAsync()
    {
        (int code, string output) = await DebianPackages.RunAsync(CtlPath, ["-n", node, "close_all_connections", "test"], NodeEnvironment(), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl close_all_connections failed ({code}): {output}");
        }
    }

    /// <summary>Stops the node (its data stays), as a broker outage does.</summary>
    public async Task StopAsync()
    {
        if (server is null)
        {
            return;
        }

        // A clean stop through rabbitmqctl; on a machine too loaded to answer in time, the node is killed (an
        // outage all the same, and the node recovers its data at the next start).
        try
        {
            await DebianPackages.RunAsync(CtlPath, ["-n", node, "stop"], NodeEnvironment(), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await server.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        server.Dispose();
        server = null;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (MissingReason is not null)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await DebianPackages.RunAsync("epmd", ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-kill"], timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held open; the temp folder is reclaimed by the system.
        }
    }

    private Task<(int ExitCode, string Output)> Ctl(string command) =>
        DebianPackages.RunAsync(CtlPath, ["-n", node, command], NodeEnvironment(), TimeSpan.FromSeconds(60));

    private Dictionary<string, string> NodeEnvironment() => new(StringComparer.Ordinal)
    {
        ["HOME"] = folder,
        ["RABBITMQ_NODENAME"] = node,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
        ["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(folder, "feature_flags"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid"),
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
    };
}
