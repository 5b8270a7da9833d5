using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's network.go: <c>getHostByName</c>, a real lookup bounded by a timeout.</summary>
public static partial class SprigFunctions
{
    /// <summary>How long <c>getHostByName</c> waits for the resolver before it fails as an empty answer does.</summary>
    public static readonly TimeSpan HostLookupTimeout = TimeSpan.FromSeconds(5);

    private static void AddNetwork(Dictionary<string, GoFunction> m)
    {
        m["getHostByName"] = Fn("getHostByName", "string", a => GetHostByName((string)a[0]!));
    }

    // net.LookupHost, then one address at random; no address (or a lookup past the timeout) fails as Go's
    // rand.Intn(0) panics.
    private static string GetHostByName(string name)
    {
        string[] addresses = [];
        try
        {
            Task<IPAddress[]> lookup = Dns.GetHostAddressesAsync(name);
            if (lookup.Wait(HostLookupTimeout))
            {
                addresses = [.. lookup.GetAwaiter().GetResult().Select(ip => ip.ToString())];
            }
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException or ArgumentException)
        {
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
        }

        return addresses.Length == 0
            ? throw new GoFunctionException("invalid argument to Intn")
            : addresses[RandomNumberGenerator.GetInt32(addresses.Length)];
    }
}
