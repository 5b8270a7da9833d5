using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Lookout.Analysis.Providers;

/// <summary>
/// Where connections to some <c>host:port</c> really go, as <c>/etc/hosts</c> would send them: the demo points the
/// in-cluster names of its templates (<c>bluegreen-demo-preview</c>, the cluster's Prometheus) at local endpoints,
/// so the templates run unchanged. The request itself (its Host header, path and body) is not touched.
/// </summary>
public sealed class HostAliases
{
    private readonly ConcurrentDictionary<string, (string Host, int Port)> map = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends connections to <paramref name="host"/>:<paramref name="port"/> to <paramref name="target"/>.</summary>
    public void Set(string host, int port, Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        map[$"{host}:{port}"] = (target.Host, target.Port);
    }

    /// <summary>Where a connection to host:port goes.</summary>
    public (string Host, int Port) Resolve(string host, int port) => map.TryGetValue($"{host}:{port}", out var to) ? to : (host, port);

    /// <summary>A <see cref="System.Net.Http.SocketsHttpHandler.ConnectCallback"/> that follows the aliases.</summary>
    public async ValueTask<Stream> ConnectAsync(System.Net.Http.SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        (string host, int port) = Resolve(context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
