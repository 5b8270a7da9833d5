using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's base64 and base32 functions on Go's standard encodings; a decoding error is returned as the text, as
/// Sprig does (<c>illegal base64 data at input byte N</c>, with Go's offsets: line breaks are skipped).
/// </summary>
public static partial class SprigFunctions
{
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static void AddEncoding(Dictionary<string, GoFunction> m)
    {
        m["b64enc"] = Fn("b64enc", "string", a => Convert.ToBase64String(Utf8((string)a[0]!)));
        m["b64dec"] = Fn("b64dec", "string", a => Base64Decode(Utf8((string)a[0]!), out byte[] data) is { } error ? $"illegal base64 data at input byte {error}" : FromUtf8(data));
        m["b32enc"] = Fn("b32enc", "string", a => Base32Encode(Utf8((string)a[0]!)));
        m["b32dec"] = Fn("b32dec", "string", a => Base32Decode(Utf8((string)a[0]!), out byte[] data) is { } error ? $"illegal base32 data at input byte {error}" : FromUtf8(data));
    }

    // Go's base64.StdEncoding.DecodeString: quanta of four, '\r' and '\n' skipped, padding checked; the offset of
    // the first bad byte, or null.
    private static long? Base64Decode(byte[] src, out byte[] data)
    {
        var dst = new List<byte>(src.Length);
        data = [];
        int si = 0;
        Span<byte> dbuf = stackalloc byte[4];
        while (true)
        {
            dbuf.Clear();
            int dlen = 4;
            bool end = false;
            for (int j = 0; j < 4; j++)
            {
                if (si == src.Length)
                {
                    if (j == 0)
                    {
                        data = [.. dst];
                        return null;
                    }

                    return si - j;
                }

                byte c = src[si++];
                int v = c < 128 ? Base64Alphabet.IndexOf((char)c, StringComparison.Ordinal) : -1;
                if (v >= 0)
                {
                    dbuf[j] = (byte)v;
                    continue;
                }

                if (c is (byte)'\n' or (byte)'\r')
                {
                    j--;
                    continue;
                }

                if (c != '=')
                {
                    return si - 1;
                }

                // Padding: "=" after two symbols needs a second "=".
                switch (j)
                {
                    case 0 or 1:
                        return si - 1;
                    case 2:
                        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
                        {
                            si++;
                        }

                        if (si == src.Length)
                        {
                            return src.Length;
                        }

                        if (src[si] != '=')
                        {
                            return si - 1;
                        }

                        si++;
                        break;
                }

                while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
                {
                    si++;
                }

                if (si < src.Length)
                {
                    return si;
                }

                dlen = j;
                end = true;
                break;
            }

            uint val = ((uint)dbuf[0] << 18) | ((uint)dbuf[1] << 12) | ((uint)dbuf[2] << 6) | dbuf[3];
            byte[] three = [(byte)(val >> 16), (byte)(val >> 8), (byte)val];
            dst.AddRange(three.AsSpan(0, dlen - 1));
            if (end)
            {
                data = [.. dst];
                return null;
            }
        }
    }

    private static string Base32Encode(byte[] data)
    {
        var b = new StringBuilder();
        for (int i = 0; i < data.Length; i += 5)
        {
            int n = Math.Min(5, data.Length - i);
            ulong buffer = 0;
            for (int j = 0; j < 5; j++)
            {
                buffer = (buffer << 8) | (j < n ? data[i + j] : 0UL);
            }

            int chars = (int)Math.Ceiling(n * 8 / 5.0);
            for (int j = 0; j < 8; j++)
            {
                b.Append(j < chars ? Base32Alphabet[(int)((buffer >> (35 - (j * 5))) & 31)] : '=');
            }
        }

        return b.ToString();
    }

    // Go's base32.StdEncoding.DecodeString: line breaks removed first, then quanta of eight with RFC 4648 padding.
    private static long? Base32Decode(byte[] input, out byte[] data)
    {
        byte[] src = [.. input.Where(c => c is not (byte)'\n' and not (byte)'\r')];
        int olen = src.Length;
        var dst = new List<byte>(src.Length);
        data = [];
        int p = 0;
        bool end = false;
        while (p < src.Length && !end)
        {
            byte[] dbuf = new byte[8];
            int dlen = 8;
            for (int j = 0; j < 8;)
            {
                if (p == src.Length)
                {
                    return olen - (src.Length - p) - j;
                }

                byte c = src[p++];
                int remaining = src.Length - p;
                if (c == '=' && j >= 2 && remaining < 8)
                {
                    if (remaining + j < 8 - 1)
                    {
                        return olen;
                    }

                    for (int k = 0; k < 8 - 1 - j; k++)
                    {
                        if (remaining > k && src[p + k] != '=')
                        {
                            return olen - remaining + k - 1;
                        }
                    }

                    dlen = j;
                    end = true;
                    if (dlen is 1 or 3 or 6)
                    {
                        return olen - remaining - 1;
                    }

                    break;
                }

                int v = c < 128 ? Base32Alphabet.IndexOf((char)c, StringComparison.Ordinal) : -1;
                if (v < 0)
                {
                    return olen - remaining - 1;
                }

                dbuf[j] = (byte)v;
                j++;
            }

            byte[] five =
            [
                (byte)((dbuf[0] << 3) | (dbuf[1] >> 2)),
                (byte)((dbuf[1] << 6) | (dbuf[2] << 1) | (dbuf[3] >> 4)),
                (byte)((dbuf[3] << 4) | (dbuf[4] >> 1)),
                (byte)((dbuf[4] << 7) | (dbuf[5] << 2) | (dbuf[6] >> 3)),
                (byte)((dbuf[6] << 5) | dbuf[7]),
            ];
            int count = dlen switch { 8 => 5, 7 => 4, 5 => 3, 4 => 2, 2 => 1, _ => 0 };
            dst.AddRange(five.AsSpan(0, count));
        }

        data = [.. dst];
        return null;
    }
}
