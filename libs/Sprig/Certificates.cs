using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lookout.Values;

namespace Lookout.Sprig;

/// <summary>
/// Sprig's key and certificate generators (crypto.go): PEM keys as Go's <c>pem.EncodeToMemory</c> writes them, and
/// certificates with Go's template (subject CN, IP and DNS SANs, validity from now, key usages, basic constraints,
/// a random 128-bit serial). Certificates are made for RSA, ECDSA and Ed25519 keys (Ed25519 signed through
/// <see cref="Ed25519SignatureGenerator"/>); DSA keys are generated and read, and, as in Go, cannot make certificates.
/// </summary>
public static partial class SprigFunctions
{
    private static void AddCertificates(Dictionary<string, GoFunction> m)
    {
        m["genPrivateKey"] = Fn("genPrivateKey", "string", a => GeneratePrivateKey((string)a[0]!));
        m["buildCustomCert"] = Fn("buildCustomCert", "string string", a => BuildCustomCertificate((string)a[0]!, (string)a[1]!));
        m["genCA"] = Fn("genCA", "string int", a => Certify((string)a[0]!, null, null, (int)a[1]!, NewRsa(), null, isCA: true));
        m["genCAWithKey"] = Fn("genCAWithKey", "string int string", a => Certify((string)a[0]!, null, null, (int)a[1]!, ParseKeyArg((string)a[2]!), null, isCA: true));
        m["genSelfSignedCert"] = Fn("genSelfSignedCert", "string list list int", a => Certify((string)a[0]!, a[1], a[2], (int)a[3]!, NewRsa(), null, isCA: false));
        m["genSelfSignedCertWithKey"] = Fn("genSelfSignedCertWithKey", "string list list int string", a => Certify((string)a[0]!, a[1], a[2], (int)a[3]!, ParseKeyArg((string)a[4]!), null, isCA: false));
        m["genSignedCert"] = Fn("genSignedCert", "string list list int any", a => Certify((string)a[0]!, a[1], a[2], (int)a[3]!, NewRsa(), CaArg(a[4]), isCA: false));
        m["genSignedCertWithKey"] = Fn("genSignedCertWithKey", "string list list int any string", a => Certify((string)a[0]!, a[1], a[2], (int)a[3]!, ParseKeyArg((string)a[5]!), CaArg(a[4]), isCA: false));
    }

    private static RSA NewRsa() => RSA.Create(2048);

    private static SprigCertificate CaArg(object? value) =>
        value as SprigCertificate ?? throw new GoFunctionException($"wrong type for value; expected sprig.certificate; got {(value is null ? "interface {}" : GoFmt.TypeName(value))}");

    private static object ParseKeyArg(string pem)
    {
        try
        {
            return ParsePrivateKeyPem(pem);
        }
        catch (GoFunctionException ex)
        {
            throw new GoFunctionException($"parsing private key: {ex.Message}");
        }
    }

    private static string GeneratePrivateKey(string type)
    {
        object key = type switch
        {
            "" or "rsa" => RSA.Create(4096),
            "dsa" => DSA.Create(2048),
            "ecdsa" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "ed25519" => new Ed25519Key(RandomNumberGenerator.GetBytes(32)),
            _ => string.Empty,
        };
        return key is string ? "Unknown type " + type : KeyPem(key);
    }

    /// <summary>An Ed25519 private key: its 32-byte seed.</summary>
    private sealed record Ed25519Key(byte[] Seed);

    // pemBlockForKey: PKCS#1 for RSA, SEC 1 for ECDSA, Go's own sequence for DSA, PKCS#8 for Ed25519.
    private static string KeyPem(object key) => key switch
    {
        RSA rsa => Pem("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()),
        ECDsa ec => Pem("EC PRIVATE KEY", ec.ExportECPrivateKey()),
        DSA dsa => Pem("DSA PRIVATE KEY", DsaKeyDer(dsa.ExportParameters(includePrivateParameters: true))),
        Ed25519Key ed => Pem("PRIVATE KEY", Ed25519Pkcs8(ed.Seed)),
        _ => throw new GoFunctionException($"unable to get public key for type {key.GetType().Name}"),
    };

    // pem.EncodeToMemory: 64 characters a line, a final newline.
    private static string Pem(string label, byte[] der) => new string(PemEncoding.Write(label, der)) + "\n";

    private static byte[] DsaKeyDer(DSAParameters p)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            foreach (byte[] part in new[] { p.P!, p.Q!, p.G!, p.Y!, p.X! })
            {
                w.WriteIntegerUnsigned(part);
            }
        }

        return w.Encode();
    }

    private static byte[] Ed25519Pkcs8(byte[] seed)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("1.3.101.112");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(seed);
            w.WriteOctetString(inner.Encode());
        }

        return w.Encode();
    }

    // Sprig's parsePrivateKeyPEM.
    private static object ParsePrivateKeyPem(string pem)
    {
        (string label, byte[] der) = DecodePem(pem) ?? throw new GoFunctionException("no PEM data in input");
        try
        {
            if (label == "PRIVATE KEY")
            {
                return ParsePkcs8(der);
            }

            if (!label.EndsWith(" PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new GoFunctionException($"no private key data in PEM block of type {label}");
            }

            switch (label[..^12])
            {
                case "RSA":
                    {
                        var rsa = RSA.Create();
                        rsa.ImportRSAPrivateKey(der, out _);
                        return rsa;
                    }

                case "EC":
                    {
                        var ec = ECDsa.Create();
                        ec.ImportECPrivateKey(der, out _);
                        return ec;
                    }

                case "DSA":
                    {
                        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
                        reader.ReadInteger();
                        byte[] Next() => reader.ReadIntegerBytes().ToArray().SkipWhile(b => b == 0).ToArray();
                        var p = new DSAParameters { P = Next(), Q = Next(), G = Next(), Y = Next(), X = Next() };
                        int n = p.P.Length;
                        p.G = [.. new byte[n - p.G.Length], .. p.G];
                        p.Y = [.. new byte[n - p.Y.Length], .. p.Y];
                        p.X = [.. new byte[p.Q.Length - p.X.Length], .. p.X];
                        var dsa = DSA.Create();
                        dsa.ImportParameters(p);
                        return dsa;
                    }

                default:
                    throw new GoFunctionException($"invalid private key type {label}");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new GoFunctionException($"parsing {label[..Math.Max(0, label.Length - 12)]} private key from PEM: {ex.Message}");
        }
    }

    private static object ParsePkcs8(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        reader.ReadInteger();
        string oid = reader.ReadSequence().ReadObjectIdentifier();
        switch (oid)
        {
            case "1.2.840.113549.1.1.1":
                {
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(der, out _);
                    return rsa;
                }

            case "1.2.840.10045.2.1":
                {
                    var ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(der, out _);
                    return ec;
                }

            case "1.3.101.112":
                {
                    byte[] inner = reader.ReadOctetString();
                    return new Ed25519Key(new AsnReader(inner, AsnEncodingRules.DER).ReadOctetString());
                }

            default:
                throw new GoFunctionException($"decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}");
        }
    }

    // pem.Decode: the first block, text before it skipped.
    private static (string Label, byte[] Der)? DecodePem(string text)
    {
        int start = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (start < 0 || !PemEncoding.TryFind(text.AsSpan(start), out PemFields fields))
        {
            return null;
        }

        ReadOnlySpan<char> s = text.AsSpan(start);
        return (s[fields.Label].ToString(), Convert.FromBase64String(s[fields.Base64Data].ToString()));
    }

    private static SprigCertificate BuildCustomCertificate(string b64cert, string b64key)
    {
        if (Base64Decode(Utf8(b64cert), out byte[] cert) is not null)
        {
            throw new GoFunctionException("unable to decode base64 certificate");
        }

        if (Base64Decode(Utf8(b64key), out byte[] key) is not null)
        {
            throw new GoFunctionException("unable to decode base64 private key");
        }

        string certText = FromUtf8(cert);
        string keyText = FromUtf8(key);
        (string _, byte[] der) = DecodePem(certText) ?? throw new GoFunctionException("unable to decode certificate");
        try
        {
            using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw new GoFunctionException($"error parsing certificate: decodedCert.Bytes: {ex.Message}");
        }

        try
        {
            ParsePrivateKeyPem(keyText);
        }
        catch (GoFunctionException ex)
        {
            throw new GoFunctionException($"error parsing private key: {ex.Message}");
        }

        return new SprigCertificate(certText, keyText);
    }

    // getBaseCertTemplate + getCertAndKey: a certificate for the key, signed by itself or by the CA.
    private static SprigCertificate Certify(string cn, object? ips, object? dnsNames, int daysValid, object key, SprigCertificate? ca, bool isCA)
    {
        List<IPAddress> addresses = NetIps(ips);
        List<string> names = AlternateDns(dnsNames);
        var subject = new X500DistinguishedNameBuilder();
        if (cn.Length > 0)
        {
            subject.AddCommonName(cn);
        }

        X500DistinguishedName subjectName = subject.Build();
        CertificateRequest request = key switch
        {
            RSA rsa => new CertificateRequest(subjectName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subjectName, ec, HashAlgorithmName.SHA256),
            Ed25519Key ed => new CertificateRequest(subjectName, Ed25519SignatureGenerator.PublicKeyOf(ed.Seed), HashAlgorithmName.SHA256),
            _ => throw new GoFunctionException($"error creating certificate: {KeyTypeName(key)} keys are not supported for certificates here"),
        };
        X509KeyUsageFlags usage = X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature | (isCA ? X509KeyUsageFlags.KeyCertSign : 0);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCA, false, 0, critical: true));
        if (isCA)
        {
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        }

        if (addresses.Count > 0 || names.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in names)
            {
                san.AddDnsName(name);
            }

            foreach (IPAddress address in addresses)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build(critical: cn.Length == 0));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        DateTimeOffset notBefore = DateTimeOffset.UtcNow;
        DateTimeOffset notAfter = notBefore.AddDays(daysValid);
        X509SignatureGenerator signer;
        X500DistinguishedName issuer = subjectName;
        if (ca is null)
        {
            signer = Signer(key);
        }
        else
        {
            (string _, byte[] caDer) = DecodePem(ca.Cert) ?? throw new GoFunctionException("unable to decode certificate");
            X509Certificate2 caCert;
            try
            {
                caCert = X509CertificateLoader.LoadCertificate(caDer);
            }
            catch (CryptographicException ex)
            {
                throw new GoFunctionException($"error parsing certificate: decodedSignerCert.Bytes: {ex.Message}");
            }

            using (caCert)
            {
                object caKey;
                try
                {
                    caKey = ParsePrivateKeyPem(ca.Key);
                }
                catch (GoFunctionException ex)
                {
                    throw new GoFunctionException($"error parsing private key: {ex.Message}");
                }

                signer = Signer(caKey);
                issuer = caCert.SubjectName;
                if (caCert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
                {
                    request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, includeKeyIdentifier: true, includeIssuerAndSerial: false));
                }
            }
        }

        try
        {
            using X509Certificate2 created = request.Create(issuer, signer, notBefore, notAfter, serial);
            return new SprigCertificate(Pem("CERTIFICATE", created.RawData), KeyPem(key));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new GoFunctionException($"error creating certificate: {ex.Message}");
        }
    }

    private static X509SignatureGenerator Signer(object key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        Ed25519Key ed => new Ed25519SignatureGenerator(ed.Seed),
        _ => throw new GoFunctionException($"error creating certificate: {KeyTypeName(key)} keys cannot sign certificates here"),
    };

    private static string KeyTypeName(object key) => key switch
    {
        DSA => "DSA",
        Ed25519Key => "Ed25519",
        _ => key.GetType().Name,
    };

    // getNetIPs: strings that net.ParseIP reads (dotted IPv4 without leading zeros, or IPv6).
    private static List<IPAddress> NetIps(object? ips)
    {
        var result = new List<IPAddress>();
        foreach (object? ip in ips as IList<object?> ?? [])
        {
            string s = ip as string ?? throw new GoFunctionException($"error parsing ip: {GoFmt.Sprintf("%v", [ip])} is not a string");
            result.Add(ParseGoIp(s) ?? throw new GoFunctionException($"error parsing ip: {s}"));
        }

        return result;
    }

    private static IPAddress? ParseGoIp(string s)
    {
        if (s.Contains(':', StringComparison.Ordinal))
        {
            return !s.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(s, out IPAddress? v6) ? v6 : null;
        }

        string[] parts = s.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0') || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255))
        {
            return null;
        }

        return IPAddress.Parse(s);
    }

    private static List<string> AlternateDns(object? names)
    {
        var result = new List<string>();
        foreach (object? name in names as IList<object?> ?? [])
        {
            result.Add(name as string ?? throw new GoFunctionException($"error processing alternate dns name: {GoFmt.Sprintf("%v", [name])} is not a string"));
        }

        return result;
    }
}

/// <summary>Sprig's <c>certificate</c> struct: a PEM certificate and its PEM private key (<c>.Cert</c>, <c>.Key</c>).</summary>
public sealed class SprigCertificate(string cert, string key) : IGoObject
{
    public string Cert { get; } = cert;

    public string Key { get; } = key;

    /// <inheritdoc/>
    public string GoTypeName => "sprig.certificate";

    /// <inheritdoc/>
    public bool TryGetMethod(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoFunction? method)
    {
        method = name switch
        {
            "Cert" => new GoFunction("Cert", 0, 0, _ => Cert),
            "Key" => new GoFunction("Key", 0, 0, _ => Key),
            _ => null,
        };
        return method is not null;
    }

    /// <summary>Go's <c>%v</c> of the struct: <c>{cert key}</c>.</summary>
    public override string ToString() => "{" + Cert + " " + Key + "}";
}
