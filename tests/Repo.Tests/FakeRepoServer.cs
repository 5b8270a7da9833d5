using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Lookout.Notifications.Repo.Grpc;
using Lookout.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lookout.Repo.Tests;

/// <summary>
/// Our own argocd-repo-server for the tests: the two methods the helpers call, served by Kestrel on 127.0.0.1 over
/// HTTP/2 (plaintext, or TLS with a given certificate). It knows the commits put in <see cref="Commits"/>, answers an
/// unknown revision as the real one does (an error naming it), counts and records requests, and can be made to hang
/// until the caller's deadline passes.
/// </summary>
public sealed class FakeRepoServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeRepoServer(WebApplication app, string address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Commit metadata by revision.</summary>
    public ConcurrentDictionary<string, RevisionMetadata> Commits { get; } = new(StringComparer.Ordinal);

    /// <summary>The answer to <c>GetAppDetails</c>.</summary>
    public RepoAppDetailsResponse AppDetails { get; set; } = new() { Type = "Directory", Directory = new DirectoryAppSpec() };

    /// <summary>When set, every call waits until the caller gives up.</summary>
    public bool Hang { get; set; }

    /// <summary>Requests received, in order.</summary>
    public ConcurrentQueue<Google.Protobuf.IMessage> Requests { get; } = new();

    public int RevisionMetadataCalls => Requests.Count(r => r is RepoServerRevisionMetadataRequest);

    public int AppDetailsCalls => Requests.Count(r => r is RepoServerAppDetailsQuery);

    /// <summary>Starts a server on a free port; with <paramref name="certificate"/>, TLS only.</summary>
    public static async Task<FakeRepoServer> StartAsync(X509Certificate2? certificate = null)
    {
        int port = FreePorts.Next();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddGrpc();
        var service = new Service();
        builder.Services.AddSingleton(service);
        WebApplication app = builder.Build();
        app.MapGrpcService<Service>();
        var server = new FakeRepoServer(app, $"127.0.0.1:{port}");
        service.Owner = server;
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The service implementation (one instance, registered as a singleton).</summary>
    private sealed class Service : RepoServerService.RepoServerServiceBase
    {
        public FakeRepoServer Owner { get; set; } = null!;

        public override async Task<RevisionMetadata> GetRevisionMetadata(RepoServerRevisionMetadataRequest request, ServerCallContext context)
        {
            Owner.Requests.Enqueue(request);
            await HangIfAsked(context);
            if (!Owner.Commits.TryGetValue(request.Revision, out RevisionMetadata? metadata))
            {
                // What Argo CD's repo server says for a SHA its clone does not have.
                throw new RpcException(new Status(StatusCode.Unknown, $"unable to resolve git revision {request.Revision}: object not found"));
            }

            return metadata;
        }

        public override async Task<RepoAppDetailsResponse> GetAppDetails(RepoServerAppDetailsQuery request, ServerCallContext context)
        {
            Owner.Requests.Enqueue(request);
            await HangIfAsked(context);
            return Owner.AppDetails;
        }

        private async Task HangIfAsked(ServerCallContext context)
        {
            if (Owner.Hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the caller gave up"));
            }
        }
    }
}
