using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's crypto.go: hashes, checksums and UUIDs.</summary>
public static partial class SprigFunctions
{
    private static void AddCrypto(Dictionary<string, GoFunction> m)
    {
#pragma warning disable CA5350 // Sprig's sha1sum is a checksum users ask for by name, not a security control.
        m["sha1sum"] = Fn("sha1sum", "string", a => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
#pragma warning restore CA5350
        m["sha256sum"] = Fn("sha256sum", "string", a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        m["adler32sum"] = Fn("adler32sum", "string", a => Adler32(Encoding.UTF8.GetBytes((string)a[0]!)).ToString(CultureInfo.InvariantCulture));
        m["uuidv4"] = Fn("uuidv4", string.Empty, _ => Guid.NewGuid().ToString());
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
