using System.Globalization;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>Sprig's base64 and base32 functions.</summary>
public static partial class SprigFunctions
{
    private static void AddEncoding(Dictionary<string, GoFunction> m)
    {
        m["b64enc"] = Fn("b64enc", "string", a => Convert.ToBase64String(Encoding.UTF8.GetBytes((string)a[0]!)));
        m["b64dec"] = Fn("b64dec", "string", a =>
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String((string)a[0]!));
            }
            catch (FormatException)
            {
                return "illegal base64 data at input byte " + IllegalBase64Offset((string)a[0]!).ToString(CultureInfo.InvariantCulture);
            }
        });
        m["b32enc"] = Fn("b32enc", "string", a => Base32Encode(Encoding.UTF8.GetBytes((string)a[0]!)));
        m["b32dec"] = Fn("b32dec", "string", a => Base32Decode((string)a[0]!));
    }

    private static int IllegalBase64Offset(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/' || c == '='))
            {
                return i;
            }
        }

        return s.Length - (s.Length % 4);
    }

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

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

    private static string Base32Decode(string s)
    {
        string t = s.TrimEnd('=');
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (char c in t)
        {
            int v = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                return $"illegal base32 data at input byte {t.IndexOf(c, StringComparison.Ordinal)}";
            }

            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
