using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Lookout.Testing;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;

namespace Lookout.Benchmarks.Notifier;

/// <summary>
/// The real notifier executable as the drivers run it: the cluster mode on the fake Kubernetes API (ConfigMap, Secret,
/// state annotations) and a private RabbitMQ, no data directory (as the Helm chart runs it), its log echoed.
/// </summary>
internal sealed class NotifierProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private NotifierProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }

    public int Port { get; }

    public static NotifierProcess Start(FakeKubernetesApiServer api, RabbitMqFixture broker, string logPrefix, IReadOnlyDictionary<string, string>? settings = null)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "notifier.dll");
        int port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["Service__Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["Service__LogFormat"] = "Simple";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        start.Environment["Logging__LogLevel__MassTransit"] = "Error";
        start.Environment["Bus__RabbitMq__Url"] = broker.Url;
        start.Environment["Notifier__ApiServer"] = api.BaseAddress.ToString();
        start.Environment["Notifier__Namespace"] = NotifierFleet.Namespace;
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the notifier");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine(logPrefix + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine(logPrefix + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NotifierProcess(process, port);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (bus connected, configuration read).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the notifier exited with {Process.ExitCode}");
            }

            try
            {
                using HttpResponseMessage response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Port}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the notifier was not ready within {timeout}");
    }

    /// <summary>The dead letters (<c>GET /notifications/dead-letters</c>): how many, and their reasons.</summary>
    public async Task<(int Count, string[] Reasons)> DeadLettersAsync()
    {
        if (Process.HasExited)
        {
            return (0, []);
        }

        JsonElement list = await Http.GetFromJsonAsync<JsonElement>(new Uri($"http://127.0.0.1:{Port}/notifications/dead-letters"));
        string[] reasons = [.. list.EnumerateArray().Select(l => l.TryGetProperty("reason", out JsonElement r) ? r.GetString() ?? string.Empty : string.Empty).Distinct().Take(3)];
        return (list.GetArrayLength(), reasons);
    }

    /// <summary>SIGKILL (as <c>kill -9</c>), and waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }

    /// <summary>Peak resident memory (<c>VmHWM</c>) in KiB, 0 once exited.</summary>
    public long PeakRssKb()
    {
        try
        {
            string? line = File.ReadLines($"/proc/{Process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
