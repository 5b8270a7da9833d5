using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Lookout.Sprig;

/// <summary>
/// Ed25519 for certificates, which .NET's X509 classes cannot sign by themselves: the public key of a seed, and a
/// signature generator that <see cref="CertificateRequest"/> accepts (PureEd25519, as Go's x509 signs with an
/// <c>ed25519.PrivateKey</c>: algorithm 1.3.101.112 without parameters, the message signed whole).
/// </summary>
internal sealed class Ed25519SignatureGenerator : X509SignatureGenerator
{
    private const string Ed25519Oid = "1.3.101.112";

    private readonly Ed25519PrivateKeyParameters key;

    /// <summary>A generator for the key of <paramref name="seed"/> (RFC 8032's 32-byte private key).</summary>
    public Ed25519SignatureGenerator(byte[] seed)
    {
        key = new Ed25519PrivateKeyParameters(seed, 0);
    }

    /// <summary>The key's public half as a <see cref="System.Security.Cryptography.X509Certificates.PublicKey"/> (SubjectPublicKeyInfo without parameters).</summary>
    public static PublicKey PublicKeyOf(byte[] seed)
    {
        byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).GeneratePublicKey().GetEncoded();
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Ed25519Oid);
            }

            w.WriteBitString(raw);
        }

        return PublicKey.CreateFromSubjectPublicKeyInfo(w.Encode(), out _);
    }

    /// <inheritdoc/>
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(Ed25519Oid);
        }

        return w.Encode();
    }

    /// <inheritdoc/>
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(data);
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    /// <inheritdoc/>
    protected override PublicKey BuildPublicKey() => PublicKeyOf(key.GetEncoded());
}
