using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Lookout.Testing.Prometheus;

/// <summary>
/// A private Prometheus for the tests: Debian's prometheus (installed when missing) on a free 127.0.0.1 port with
/// its own data folder, scraping every second a local exporter (Kestrel on 127.0.0.1) whose series the tests set
/// with <see cref="Set"/>. Tests then wait, with <see cref="WaitForValueAsync"/>, until Prometheus has scraped the
/// values they set. One per test collection; <see cref="StopAsync"/> plays an outage.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private const string ServerPath = "/usr/bin/prometheus";

    private readonly string folder = Directory.CreateTempSubdirectory("lookout-prometheus-").FullName;
    private readonly ConcurrentDictionary<string, double> series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> counterRates = new(StringComparer.Ordinal);
    private readonly Stopwatch sinceStart = Stopwatch.StartNew();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private WebApplication? exporter;
    private Process? server;

    /// <summary>Prometheus' port.</summary>
    public int Port { get; } = FreePorts.Next();

    /// <summary>The address a metric's <c>prometheus.address</c> points at.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>The exporter's port.</summary>
    public int ExporterPort { get; } = FreePorts.Next();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        // The test command installs the package; a fixture only starts servers.
        string? missing = DebianPackages.Missing("prometheus", ServerPath);
        if (missing is not null)
        {
            throw new InvalidOperationException(missing);
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ExporterPort}");
        exporter = builder.Build();
        exporter.MapGet("/metrics", () => Results.Text(Exposition(), "text/plain; version=0.0.4"));
        await exporter.StartAsync().ConfigureAwait(false);

        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
            - job_name: exporter
              static_configs:
              - targets: ['127.0.0.1:{ExporterPort}']
            """).ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Sets a series' value, such as <c>app_error_ratio{app="canary-demo"}</c>.</summary>
    public void Set(string seriesWithLabels, double value) => series[seriesWithLabels] = value;

    /// <summary>Serves a counter that rises by <paramref name="perSecond"/> every second (for <c>rate()</c> queries).</summary>
    public void SetCounterRate(string seriesWithLabels, double perSecond) => counterRates[seriesWithLabels] = perSecond;

    /// <summary>Removes a series from the exporter.</summary>
    public void Remove(string seriesWithLabels) => series.TryRemove(seriesWithLabels, out _);

    /// <summary>Starts Prometheus (again) and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(ServerPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[]
        {
            $"--config.file={Path.Combine(folder, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(folder, "data")}",
            $"--web.listen-address=127.0.0.1:{Port}",
            "--storage.tsdb.retention.time=1h",
            "--query.lookback-delta=5s",
        })
        {
            start.ArgumentList.Add(arg);
        }

        server = Process.Start(start) ?? throw new InvalidOperationException("cannot start prometheus");
        var log = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {server.ExitCode}: {log}");
            }

            try
            {
                using HttpResponseMessage ready = await Http.GetAsync(new Uri($"{Address}/-/ready")).ConfigureAwait(false);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"prometheus did not become ready: {log}");
    }

    /// <summary>Stops Prometheus (an outage).</summary>
    public async Task StopAsync()
    {
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until an instant query's first sample equals <paramref name="expected"/> (Prometheus scraped it).</summary>
    public Task WaitForValueAsync(string query, double expected, TimeSpan timeout) => WaitUntilAsync(query, v => v.Equals(expected), timeout);

    /// <summary>Waits until an instant query's first sample satisfies <paramref name="accept"/>.</summary>
    public async Task WaitUntilAsync(string query, Func<double, bool> accept, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            using var content = new FormUrlEncodedContent([new("query", query)]);
            using HttpResponseMessage response = await Http.PostAsync(new Uri($"{Address}/api/v1/query"), content).ConfigureAwait(false);
            last = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            using JsonDocument doc = JsonDocument.Parse(last);
            JsonElement result = doc.RootElement.GetProperty("data").GetProperty("result");
            if (result.ValueKind == JsonValueKind.Array && result.GetArrayLength() > 0
                && double.TryParse(result[0].GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                && accept(v))
            {
                return;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException($"{query} did not reach the expected value within {timeout}: {last}");
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (exporter is not null)
        {
            await exporter.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Exposition()
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            sb.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        double seconds = sinceStart.Elapsed.TotalSeconds;
        foreach (var (name, rate) in counterRates.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            sb.Append(name).Append(' ').Append((rate * seconds).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }
}
