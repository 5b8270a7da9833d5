using System.Security.Cryptography;
using System.Text;

namespace Lookout.Contracts;

/// <summary>
/// Message ids derived from what a message is about, so a re-publish after a fault carries the same id and a
/// consumer can recognise it. Version 1: the first 16 bytes of SHA-256 over "kind/uid/resourceVersion".
/// </summary>
public static class MessageIds
{
    /// <summary>The id of the event for one observed version of one object.</summary>
    public static Guid ForObjectVersion(string kind, string uid, string resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(resourceVersion);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{uid}/{resourceVersion}"), hash);
        return new Guid(hash[..16]);
    }
}
