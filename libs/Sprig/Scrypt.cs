using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Lookout.Sprig;

/// <summary>scrypt (RFC 7914), which Sprig's <c>derivePassword</c> runs as golang.org/x/crypto/scrypt does.</summary>
internal static class Scrypt
{
    /// <summary>Derives <paramref name="keyLength"/> bytes; <paramref name="n"/> must be a power of two above 1.</summary>
    public static byte[] DeriveKey(byte[] password, byte[] salt, int n, int r, int p, int keyLength)
    {
        if (n <= 1 || (n & (n - 1)) != 0)
        {
            throw new ArgumentException("scrypt: N must be > 1 and a power of 2", nameof(n));
        }

        int blockWords = 32 * r;
        byte[] b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, p * 128 * r);
        uint[] x = new uint[blockWords];
        uint[] y = new uint[blockWords];
        uint[] v = new uint[blockWords * n];
        for (int i = 0; i < p; i++)
        {
            Span<byte> chunk = b.AsSpan(i * 128 * r, 128 * r);
            for (int k = 0; k < blockWords; k++)
            {
                x[k] = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(k * 4)..]);
            }

            RoMix(x, y, v, n, r);
            for (int k = 0; k < blockWords; k++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(chunk[(k * 4)..], x[k]);
            }
        }

        return Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, keyLength);
    }

    private static void RoMix(uint[] x, uint[] y, uint[] v, int n, int r)
    {
        int blockWords = 32 * r;
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, i * blockWords, blockWords);
            BlockMix(x, y, r);
        }

        for (int i = 0; i < n; i++)
        {
            int j = (int)(x[(((2 * r) - 1) * 16)] & (uint)(n - 1));
            for (int k = 0; k < blockWords; k++)
            {
                x[k] ^= v[(j * blockWords) + k];
            }

            BlockMix(x, y, r);
        }
    }

    // BlockMix with Salsa20/8; y is scratch space. The result replaces b.
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan(((2 * r) - 1) * 16, 16).CopyTo(t);
        for (int i = 0; i < 2 * r; i++)
        {
            for (int k = 0; k < 16; k++)
            {
                t[k] ^= b[(i * 16) + k];
            }

            Salsa208(t);
            int dest = ((i & 1) == 0 ? i / 2 : r + (i / 2)) * 16;
            t.CopyTo(y.AsSpan(dest, 16));
        }

        Array.Copy(y, b, 32 * r);
    }

    private static void Salsa208(Span<uint> b)
    {
        Span<uint> x = stackalloc uint[16];
        b.CopyTo(x);
        for (int i = 0; i < 8; i += 2)
        {
            x[4] ^= BitOperations.RotateLeft(x[0] + x[12], 7);
            x[8] ^= BitOperations.RotateLeft(x[4] + x[0], 9);
            x[12] ^= BitOperations.RotateLeft(x[8] + x[4], 13);
            x[0] ^= BitOperations.RotateLeft(x[12] + x[8], 18);
            x[9] ^= BitOperations.RotateLeft(x[5] + x[1], 7);
            x[13] ^= BitOperations.RotateLeft(x[9] + x[5], 9);
            x[1] ^= BitOperations.RotateLeft(x[13] + x[9], 13);
            x[5] ^= BitOperations.RotateLeft(x[1] + x[13], 18);
            x[14] ^= BitOperations.RotateLeft(x[10] + x[6], 7);
            x[2] ^= BitOperations.RotateLeft(x[14] + x[10], 9);
            x[6] ^= BitOperations.RotateLeft(x[2] + x[14], 13);
            x[10] ^= BitOperations.RotateLeft(x[6] + x[2], 18);
            x[3] ^= BitOperations.RotateLeft(x[15] + x[11], 7);
            x[7] ^= BitOperations.RotateLeft(x[3] + x[15], 9);
            x[11] ^= BitOperations.RotateLeft(x[7] + x[3], 13);
            x[15] ^= BitOperations.RotateLeft(x[11] + x[7], 18);
            x[1] ^= BitOperations.RotateLeft(x[0] + x[3], 7);
            x[2] ^= BitOperations.RotateLeft(x[1] + x[0], 9);
            x[3] ^= BitOperations.RotateLeft(x[2] + x[1], 13);
            x[0] ^= BitOperations.RotateLeft(x[3] + x[2], 18);
            x[6] ^= BitOperations.RotateLeft(x[5] + x[4], 7);
            x[7] ^= BitOperations.RotateLeft(x[6] + x[5], 9);
            x[4] ^= BitOperations.RotateLeft(x[7] + x[6], 13);
            x[5] ^= BitOperations.RotateLeft(x[4] + x[7], 18);
            x[11] ^= BitOperations.RotateLeft(x[10] + x[9], 7);
            x[8] ^= BitOperations.RotateLeft(x[11] + x[10], 9);
            x[9] ^= BitOperations.RotateLeft(x[8] + x[11], 13);
            x[10] ^= BitOperations.RotateLeft(x[9] + x[8], 18);
            x[12] ^= BitOperations.RotateLeft(x[15] + x[14], 7);
            x[13] ^= BitOperations.RotateLeft(x[12] + x[15], 9);
            x[14] ^= BitOperations.RotateLeft(x[13] + x[12], 13);
            x[15] ^= BitOperations.RotateLeft(x[14] + x[13], 18);
        }

        for (int i = 0; i < 16; i++)
        {
            b[i] += x[i];
        }
    }
}
