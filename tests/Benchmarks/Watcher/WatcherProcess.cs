using System.Diagnostics;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;

namespace Lookout.Benchmarks.Watcher;

/// <summary>The real watcher executable as the drivers run it: on the fake Kubernetes API and a private RabbitMQ, Rollouts off, its log echoed.</summary>
internal static class WatcherProcess
{
    public static Process Start(FakeKubernetesApiServer api, RabbitMqFixture broker, IReadOnlyDictionary<string, string> settings, string logPrefix)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "watcher.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["Service__Port"] = "0";
        start.Environment["Service__LogFormat"] = "Simple";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Bus__RabbitMq__Url"] = broker.Url;
        start.Environment["Watcher__ApiServer"] = api.BaseAddress.ToString();
        start.Environment["Watcher__WatchRollouts"] = "false";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the watcher");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine(logPrefix + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.WriteLine(logPrefix + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
