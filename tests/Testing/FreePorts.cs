using System.Net;
using System.Net.Sockets;

namespace Lookout.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for private servers.</summary>
public static class FreePorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
