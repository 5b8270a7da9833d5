using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's crypto.go without the certificates (see Certificates.cs): hashes, checksums, UUIDs, bcrypt and htpasswd,
/// Master Password's <c>derivePassword</c>, <c>encryptAES</c>/<c>decryptAES</c> and <c>randBytes</c>.
/// </summary>
public static partial class SprigFunctions
{
    private const string MasterPasswordSeed = "com.lyndir.masterpassword";

    private static readonly Dictionary<string, string[]> PasswordTemplates = new(StringComparer.Ordinal)
    {
        ["maximum"] = ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        ["long"] =
        [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv",
            "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        ["medium"] = ["CvcnoCvc", "CvcCvcno"],
        ["short"] = ["Cvcn"],
        ["basic"] = ["aaanaaan", "aannaaan", "aaannaaa"],
        ["pin"] = ["nnnn"],
    };

    private static readonly Dictionary<char, string> TemplateCharacters = new()
    {
        ['V'] = "AEIOU",
        ['C'] = "BCDFGHJKLMNPQRSTVWXYZ",
        ['v'] = "aeiou",
        ['c'] = "bcdfghjklmnpqrstvwxyz",
        ['A'] = "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        ['a'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        ['n'] = "0123456789",
        ['o'] = "@&%?,=[]_:-+*$#!'^~;()/.",
        ['x'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    };

    private static void AddCrypto(Dictionary<string, GoFunction> m)
    {
#pragma warning disable CA5350 // Sprig's sha1sum is a checksum users ask for by name, not a security control.
        m["sha1sum"] = Fn("sha1sum", "string", a => Convert.ToHexStringLower(SHA1.HashData(Utf8((string)a[0]!))));
#pragma warning restore CA5350
        m["sha256sum"] = Fn("sha256sum", "string", a => Convert.ToHexStringLower(SHA256.HashData(Utf8((string)a[0]!))));
        m["sha512sum"] = Fn("sha512sum", "string", a => Convert.ToHexStringLower(SHA512.HashData(Utf8((string)a[0]!))));
        m["adler32sum"] = Fn("adler32sum", "string", a => Adler32(Utf8((string)a[0]!)).ToString(CultureInfo.InvariantCulture));
        m["uuidv4"] = Fn("uuidv4", string.Empty, _ => Guid.NewGuid().ToString());
        m["bcrypt"] = Fn("bcrypt", "string", a => Bcrypt((string)a[0]!));
        m["htpasswd"] = Fn("htpasswd", "string string", a => ((string)a[0]!).Contains(':', StringComparison.Ordinal) ? $"invalid username: {a[0]}" : $"{a[0]}:{Bcrypt((string)a[1]!)}");
        m["derivePassword"] = Fn("derivePassword", "uint32 string string string string", a => DerivePassword((uint)a[0]!, (string)a[1]!, (string)a[2]!, (string)a[3]!, (string)a[4]!));
        m["encryptAES"] = Fn("encryptAES", "string string", a => EncryptAes((string)a[0]!, (string)a[1]!));
        m["decryptAES"] = Fn("decryptAES", "string string", a => DecryptAes((string)a[0]!, (string)a[1]!));
        m["randBytes"] = Fn("randBytes", "int", a => (int)a[0]! < 0
            ? throw new GoFunctionException("runtime error: makeslice: len out of range")
            : Convert.ToBase64String(RandomNumberGenerator.GetBytes((int)a[0]!)));
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

    // golang.org/x/crypto/bcrypt at its default cost (10), with Go's "$2a$" prefix; Sprig returns errors as text.
    private static string Bcrypt(string input)
    {
        if (Utf8(input).Length > 72)
        {
            return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
        }

        return BCrypt.Net.BCrypt.HashPassword(input, BCrypt.Net.BCrypt.GenerateSalt(10, 'a'));
    }

    // Master Password (algorithm v3), as Sprig implements it: scrypt of the password salted with the user, then an
    // HMAC of the site and counter choosing a template and its characters.
    private static string DerivePassword(uint counter, string passwordType, string password, string user, string site)
    {
        if (!PasswordTemplates.TryGetValue(passwordType, out string[]? templates))
        {
            return $"cannot find password template {passwordType}";
        }

        byte[] seed = Encoding.ASCII.GetBytes(MasterPasswordSeed);
        byte[] userBytes = Utf8(user);
        byte[] siteBytes = Utf8(site);
        byte[] salt = [.. seed, .. BigEndian((uint)userBytes.Length), .. userBytes];
        byte[] key = Scrypt.DeriveKey(Utf8(password), salt, 32768, 8, 2, 64);
        byte[] message = [.. seed, .. BigEndian((uint)siteBytes.Length), .. siteBytes, .. BigEndian(counter)];
        byte[] hmac = HMACSHA256.HashData(key, message);
        string template = templates[hmac[0] % templates.Length];
        var b = new StringBuilder(template.Length);
        for (int i = 0; i < template.Length; i++)
        {
            string chars = TemplateCharacters[template[i]];
            b.Append(chars[hmac[i + 1] % chars.Length]);
        }

        return b.ToString();
    }

    private static byte[] BigEndian(uint value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    // Sprig's AES key: the password's bytes in a zeroed 32-byte key (longer passwords are cut).
    private static byte[] AesKey(string password)
    {
        byte[] key = new byte[32];
        byte[] p = Utf8(password);
        p.AsSpan(0, Math.Min(32, p.Length)).CopyTo(key);
        return key;
    }

    // AES-256-CBC, PKCS#7 padding, a random IV before the ciphertext, all in base64.
    private static string EncryptAes(string password, string plaintext)
    {
        if (plaintext.Length == 0)
        {
            return string.Empty;
        }

        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        byte[] cipher = aes.EncryptCbc(Utf8(plaintext), iv, PaddingMode.PKCS7);
        return Convert.ToBase64String([.. iv, .. cipher]);
    }

    // Sprig's decryptAES: no check of the padding; what Go would panic on is an error.
    private static string DecryptAes(string password, string crypt64)
    {
        if (crypt64.Length == 0)
        {
            return string.Empty;
        }

        if (Base64Decode(Utf8(crypt64), out byte[] crypt) is { } bad)
        {
            throw new GoFunctionException($"illegal base64 data at input byte {bad}");
        }

        if (crypt.Length < 16)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:16] with capacity {crypt.Length}");
        }

        if ((crypt.Length - 16) % 16 != 0)
        {
            throw new GoFunctionException("crypto/cipher: input not full blocks");
        }

        if (crypt.Length == 16)
        {
            throw new GoFunctionException("runtime error: index out of range [-1]");
        }

        using var aes = Aes.Create();
        aes.Key = AesKey(password);
        byte[] decrypted = aes.DecryptCbc(crypt.AsSpan(16), crypt.AsSpan(0, 16), PaddingMode.None);
        int end = decrypted.Length - decrypted[^1];
        if (end < 0)
        {
            throw new GoFunctionException($"runtime error: slice bounds out of range [:{end}]");
        }

        return FromUtf8(decrypted.AsSpan(0, end));
    }
}
