using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Lookout.Notifications.Repo.Grpc;
using Lookout.Values;

namespace Lookout.Notifications.Repo;

/// <summary>
/// Argo CD's repo server over gRPC (HTTP/2, TLS or plaintext), as Argo CD's notifications controller asks it: the
/// repository with its credentials from the repository Secrets, <c>GetRevisionMetadata</c> for a commit,
/// <c>GetAppDetails</c> for the Application's first source. Each answer has <see cref="RepoServerSettings.Timeout"/>,
/// retries of an unavailable server included (Argo CD retries three times, one second apart).
/// </summary>
public sealed class GrpcRepoServer : IRepoServer, IDisposable
{
    private static readonly JsonParser SourceParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly GrpcChannel channel;
    private readonly RepoServerService.RepoServerServiceClient client;
    private readonly RepositoryCredentials repositories;
    private readonly RepoServerSettings settings;
    private readonly string address;

    /// <summary>Connects lazily to <paramref name="address"/> (<c>host:port</c> or a URL).</summary>
    public GrpcRepoServer(string address, RepoServerSettings settings, RepositoryCredentials repositories)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(repositories);
        this.address = address;
        this.settings = settings;
        this.repositories = repositories;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.Timeout,
        };
        if (!settings.Plaintext)
        {
            handler.SslOptions = ClientTls(settings);
        }

        var retry = new MethodConfig
        {
            Names = { MethodName.Default },
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromSeconds(1),
                MaxBackoff = TimeSpan.FromSeconds(1),
                BackoffMultiplier = 1,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        channel = GrpcChannel.ForAddress(Endpoint(address, settings.Plaintext), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 100 * 1024 * 1024,
            ServiceConfig = new ServiceConfig { MethodConfigs = { retry } },
        });
        client = new RepoServerService.RepoServerServiceClient(channel);
    }

    /// <summary>The host part of an address, for validation.</summary>
    public static string HostOf(string address) => Endpoint(address, plaintext: true).Host;

    /// <inheritdoc/>
    public async Task<CommitMetadata> GetCommitMetadataAsync(CommitQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        DateTime deadline = DateTime.UtcNow + settings.Timeout;
        Repository repository = await Repository(query.RepoUrl, query.Project, cancellationToken).ConfigureAwait(false);
        RevisionMetadata answer = await Call(
            () => client.GetRevisionMetadataAsync(new RepoServerRevisionMetadataRequest { Repo = repository, Revision = query.Revision }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            $"revision {query.Revision} of {GitUrls.Sanitize(query.RepoUrl)}").ConfigureAwait(false);
        DateTimeOffset? date = answer.Date is null ? null : DateTimeOffset.FromUnixTimeSeconds(answer.Date.Seconds).AddTicks(answer.Date.Nanos / 100);
        return new CommitMetadata(answer.Message, answer.Author, date, [.. answer.Tags]);
    }

    /// <inheritdoc/>
    public async Task<AppDetail> GetAppDetailsAsync(AppDetailsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        DateTime deadline = DateTime.UtcNow + settings.Timeout;
        Repository repository = await Repository(query.RepoUrl, query.Project, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Repository> helmRepositories;
        try
        {
            helmRepositories = await repositories.HelmRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new RepoServerException($"reading Argo CD's repository Secrets failed: {ex.Message}", ex);
        }

        var request = new RepoServerAppDetailsQuery
        {
            Repo = repository,
            Source = ToSource(query.Source),
            AppName = query.AppName,
            KustomizeOptions = new KustomizeOptions(),
            HelmOptions = new HelmOptions(),
        };
        request.Repos.AddRange(helmRepositories);
        RepoAppDetailsResponse answer = await Call(
            () => client.GetAppDetailsAsync(request, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            $"app details of {GitUrls.Sanitize(query.RepoUrl)} at {(query.Revision.Length > 0 ? query.Revision : "HEAD")}").ConfigureAwait(false);
        HelmDetail? helm = answer.Helm is null ? null : new HelmDetail(
            answer.Helm.Name,
            [.. answer.Helm.ValueFiles],
            [.. answer.Helm.Parameters.Select(p => new HelmParameter(p.Name, p.Value, p.ForceString))],
            answer.Helm.Values,
            [.. answer.Helm.FileParameters.Select(p => new HelmFileParameter(p.Name, p.Path))]);
        KustomizeDetail? kustomize = answer.Kustomize is null ? null : new KustomizeDetail([.. answer.Kustomize.Images]);
        return new AppDetail(answer.Type, helm, kustomize, answer.Directory is not null);
    }

    /// <summary>The Application's source as the repo server reads it (the Application's JSON names are the proto's).</summary>
    public static ApplicationSource ToSource(ObjectMap source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var json = JsonNode.Parse(ObjectModel.ToJson(source)) as JsonObject ?? [];
        JsonNode? valuesObject = null;
        if (json["helm"] is JsonObject helm && helm.Remove("valuesObject", out JsonNode? v))
        {
            valuesObject = v;
        }

        ApplicationSource parsed;
        try
        {
            parsed = SourceParser.Parse<ApplicationSource>(json.ToJsonString());
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RepoServerException($"the Application's source cannot be sent to the repo server: {ex.Message}", ex);
        }

        if (valuesObject is not null && parsed.Helm is not null)
        {
            parsed.Helm.ValuesObject = new RawExtension { Raw = ByteString.CopyFromUtf8(valuesObject.ToJsonString()) };
        }

        return parsed;
    }

    /// <inheritdoc/>
    public void Dispose() => channel.Dispose();

    private async Task<Repository> Repository(string repoUrl, string project, CancellationToken cancellationToken)
    {
        try
        {
            return await repositories.GetAsync(repoUrl, project, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not RepoServerException)
        {
            throw new RepoServerException($"reading Argo CD's repository Secrets for {GitUrls.Sanitize(repoUrl)} failed: {ex.Message}", ex);
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            string message = ex.StatusCode switch
            {
                StatusCode.DeadlineExceeded => $"Argo CD repo server {address} did not answer within {settings.Timeout.TotalSeconds:0.###}s ({what})",
                // A refused connection or a rejected certificate never reached the server: Grpc.Net.Client reports
                // some of them as Internal, with the HTTP failure beside.
                _ when ex.StatusCode == StatusCode.Unavailable || ex.Status.DebugException is HttpRequestException
                    => $"Argo CD repo server {address} is unavailable ({what}): {ex.Status.Detail}",
                StatusCode.Cancelled => $"asking Argo CD repo server {address} was cancelled ({what})",
                _ => $"Argo CD repo server {address}: {what}: {ex.Status.Detail} ({ex.StatusCode})",
            };
            throw new RepoServerException(message, ex);
        }
    }

    private static Uri Endpoint(string address, bool plaintext)
    {
        string a = address.Trim();
        if (a.Contains("://", StringComparison.Ordinal))
        {
            return new Uri(a);
        }

        return new Uri((plaintext ? "http://" : "https://") + a);
    }

    /// <summary>
    /// Argo CD's client TLS: strict checks the chain against the given CA (or the repo server's own certificate
    /// mounted in <see cref="RepoServerSettings.DefaultTlsDirectory"/>) and the host name; otherwise any certificate
    /// is accepted. A client certificate is presented when its files exist.
    /// </summary>
    private static SslClientAuthenticationOptions ClientTls(RepoServerSettings settings)
    {
        var options = new SslClientAuthenticationOptions();
        if (settings.IsStrict)
        {
            X509Certificate2Collection roots = TrustedRoots(settings);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            };
        }
        else
        {
            // Argo CD's notifications controller does the same unless TLS is strict: the repo server's certificate is
            // usually the self-signed one it generates at start.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        if (!string.IsNullOrWhiteSpace(settings.ClientCertPath) && !string.IsNullOrWhiteSpace(settings.ClientCertKeyPath)
            && File.Exists(settings.ClientCertPath) && File.Exists(settings.ClientCertKeyPath))
        {
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(settings.ClientCertPath, settings.ClientCertKeyPath)];
        }

        return options;
    }

    private static X509Certificate2Collection TrustedRoots(RepoServerSettings settings)
    {
        var roots = new X509Certificate2Collection();
        string[] files = !string.IsNullOrWhiteSpace(settings.CaCertPath)
            ? [settings.CaCertPath]
            : [Path.Combine(RepoServerSettings.DefaultTlsDirectory, "tls.crt"), Path.Combine(RepoServerSettings.DefaultTlsDirectory, "ca.crt")];
        foreach (string file in files.Where(File.Exists))
        {
            roots.ImportFromPemFile(file);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"strict TLS to the repo server needs a CA certificate: none found in {string.Join(" or ", files)}");
        }

        return roots;
    }
}
