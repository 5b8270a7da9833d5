using Lookout.Analysis.Verdicts;
using Lookout.Contracts;
using Lookout.Testing.Kubernetes;
using Lookout.Testing.RabbitMq;
using MassTransit;

namespace Lookout.Analysis.Tests;

[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ";
}

/// <summary>Request mode on a real RabbitMQ node: an AnalysisRequested in, a verdict in mode request back on the bus.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RequestTests(RabbitMqFixture broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static AnalysisRequested Request(params string[] templates) => new()
    {
        RequestId = Guid.NewGuid(),
        Namespace = "default",
        Templates = templates,
        Args = new Dictionary<string, string> { ["url"] = "set below" },
    };

    [SkippableFact]
    public async Task Request_RunsTheTemplates_AndTheVerdictComesBackOnTheBus()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"canary":"ok","state":"broken"}""";
        api.Upsert("analysistemplates", ShadowTests.Template("canary-check", "{$.canary}", count: 2, interval: "1s"));
        api.Upsert("analysistemplates", ShadowTests.Template("state-check", "{$.state}", count: null));
        var probe = new VerdictProbe();
        await using AnalyzerHost analyzer = await AnalyzerHost.StartAsync(api, probe, rabbitMqUrl: broker.Url);

        AnalysisRequested healthy = Request("canary-check") with { Args = new Dictionary<string, string> { ["url"] = endpoint.Url } };
        AnalysisRequested failing = Request("canary-check", "state-check") with { Args = new Dictionary<string, string> { ["url"] = endpoint.Url } };
        AnalysisRequested missing = Request("no-such-template");
        await analyzer.Bus.Publish(healthy);
        await analyzer.Bus.Publish(failing);
        await analyzer.Bus.Publish(missing);

        var (healthyId, promote) = await probe.WaitAsync(v => v.RequestId == healthy.RequestId, Timeout);
        Assert.Equal(VerdictRules.RequestId(healthy.RequestId), healthyId);
        Assert.Equal(AnalysisModes.Request, promote.Mode);
        Assert.Equal(Verdict.Promote, promote.Verdict);
        Assert.Equal(2, Assert.Single(promote.Metrics).Successful);

        var (_, abort) = await probe.WaitAsync(v => v.RequestId == failing.RequestId, Timeout);
        Assert.Equal(Verdict.Abort, abort.Verdict);
        Assert.Equal("Failed", abort.Metrics.Single(m => m.Name == "state-check").Phase);

        var (_, error) = await probe.WaitAsync(v => v.RequestId == missing.RequestId, Timeout);
        Assert.Equal(Verdict.Abort, error.Verdict);
        Assert.Equal("Error", error.Phase);
        Assert.Contains("no-such-template not found in namespace default", error.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Request_AnsweredWithARequestClient_GetsTheVerdictAsItsResponse()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"canary":"ok"}""";
        api.Upsert("analysistemplates", ShadowTests.Template("canary-check", "{$.canary}", count: null));
        await using AnalyzerHost analyzer = await AnalyzerHost.StartAsync(api, new VerdictProbe(), rabbitMqUrl: broker.Url);

        IRequestClient<AnalysisRequested> client = analyzer.Bus.CreateRequestClient<AnalysisRequested>(RequestTimeout.After(s: 60));
        AnalysisRequested request = Request("canary-check") with { Args = new Dictionary<string, string> { ["url"] = endpoint.Url } };
        Response<AnalysisVerdict> response = await client.GetResponse<AnalysisVerdict>(request);
        Assert.Equal(request.RequestId, response.Message.RequestId);
        Assert.Equal(Verdict.Promote, response.Message.Verdict);
    }

    [SkippableFact]
    public async Task Request_InterruptedByAnAnalyzerRestart_IsRunAgain_AndAnsweredOnce()
    {
        broker.SkipUnlessAvailable();
        await using FakeKubernetesApiServer api = await FakeKubernetesApiServer.StartAsync();
        await using LocalEndpoint endpoint = await LocalEndpoint.StartAsync();
        endpoint.Body = """{"canary":"ok"}""";
        api.Upsert("analysistemplates", ShadowTests.Template("canary-check", "{$.canary}", count: null));
        var probe = new VerdictProbe();
        AnalysisRequested request = Request("canary-check") with { Args = new Dictionary<string, string> { ["url"] = endpoint.Url } };

        // The first analyzer takes the request and measures; the answer is held, and the analyzer stops mid-run.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.Hold = hold;
        AnalyzerHost first = await AnalyzerHost.StartAsync(api, probe, rabbitMqUrl: broker.Url);
        try
        {
            await first.Bus.Publish(request);
            await endpoint.WaitForRequestsAsync(1, Timeout);
            await first.StopAsync(TimeSpan.FromSeconds(1));
        }
        finally
        {
            await first.DisposeAsync();
        }

        // A process that ends closes its connection; in this process the stopped bus's connection is closed by the broker.
        await broker.CloseClientConnectionsAsync();

        endpoint.Hold = null;
        hold.SetResult();
        Assert.DoesNotContain(probe.Seen, s => s.Verdict.RequestId == request.RequestId);

        // The request was never acknowledged: the broker gives it to the restarted analyzer, which runs it again.
        await using AnalyzerHost second = await AnalyzerHost.StartAsync(api, probe, rabbitMqUrl: broker.Url);
        var (messageId, verdict) = await probe.WaitAsync(v => v.RequestId == request.RequestId, Timeout);
        Assert.Equal(VerdictRules.RequestId(request.RequestId), messageId);
        Assert.Equal(Verdict.Promote, verdict.Verdict);
        Assert.Equal(2, endpoint.Requests.Count);

        // Delivered again after it was answered (a publisher's retry): not run, not answered twice.
        await second.Bus.Publish(request);
        AnalysisRequested marker = Request("canary-check") with { Args = new Dictionary<string, string> { ["url"] = endpoint.Url } };
        await second.Bus.Publish(marker);
        await probe.WaitAsync(v => v.RequestId == marker.RequestId, Timeout);
        Assert.Single(probe.Seen, s => s.Verdict.RequestId == request.RequestId);
        Assert.Equal(3, endpoint.Requests.Count);
    }
}
