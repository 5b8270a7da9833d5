using System.Text.Json;
using Lookout.Analyzer.Tools;

namespace Lookout.Analysis.Tests;

/// <summary><c>analyzer run</c>: one JSON line per measurement, a verdict line, and the exit status.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lookout-run-").FullName;

    private string Write(string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Template(string url) => $$$"""
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: health
        spec:
          args:
          - name: path
          - name: app
            valueFrom:
              fieldRef:
                fieldPath: metadata.labels.app
          metrics:
          - name: health
            interval: 1s
            count: 2
            successCondition: result == "ok"
            failureCondition: result == "bad"
            provider:
              web:
                url: {{{url}}}/{{args.path}}?app={{args.app}}
                jsonPath: "{$.state}"
        """;

    [Theory]
    [InlineData("ok", RunCommand.Promote, "promote", "Successful")]
    [InlineData("bad", RunCommand.Abort, "abort", "Failed")]
    [InlineData("maybe", RunCommand.Inconclusive, "inconclusive", "Inconclusive")]
    public async Task Run_PrintsMeasurementsAndVerdict_AndExitsWithItsStatus(string state, int exit, string verdict, string phase)
    {
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = $"{{\"state\":\"{state}\"}}";
        string template = Write("t.yaml", Template(endpoint.Url));
        string rollout = Write("r.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: checkout\n");
        var output = new StringWriter();
        var error = new StringWriter();

        int status = await RunCommand.ExecuteAsync([template, "--arg", "path=healthz", "--rollout", rollout], output, error);

        Assert.True(exit == status, error.ToString() + output);
        string[] lines = output.ToString().Trim().Split('\n');
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("health", first.RootElement.GetProperty("metric").GetString());
        Assert.Equal($"\"{state}\"", first.RootElement.GetProperty("value").GetString());
        Assert.True(first.RootElement.TryGetProperty("startedAt", out _));
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        Assert.Equal(verdict, last.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(phase, last.RootElement.GetProperty("phase").GetString());
        Assert.Equal(phase, last.RootElement.GetProperty("metrics").GetProperty("health").GetProperty("phase").GetString());
        Assert.Equal("/healthz?app=checkout", endpoint.Requests[0].Path);
    }

    [Fact]
    public async Task BadInput_ExitsTwo_WithAClearMessage()
    {
        var error = new StringWriter();
        Assert.Equal(RunCommand.BadInput, await RunCommand.ExecuteAsync([], new StringWriter(), error));
        Assert.Contains("usage: analyzer run", error.ToString(), StringComparison.Ordinal);

        error = new StringWriter();
        Assert.Equal(RunCommand.BadInput, await RunCommand.ExecuteAsync([Path.Combine(folder, "missing.yaml")], new StringWriter(), error));

        error = new StringWriter();
        string template = Write("t.yaml", Template("http://127.0.0.1:1"));
        Assert.Equal(RunCommand.BadInput, await RunCommand.ExecuteAsync([template], new StringWriter(), error));
        Assert.Contains("args.path was not resolved", error.ToString(), StringComparison.Ordinal);

        error = new StringWriter();
        Assert.Equal(RunCommand.BadInput, await RunCommand.ExecuteAsync([template, "--arg", "path=x"], new StringWriter(), error));
        Assert.Contains("there is no Rollout (pass --rollout <rollout.yaml>)", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
