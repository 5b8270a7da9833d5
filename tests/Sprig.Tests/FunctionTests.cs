using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lookout.Templates;
using Lookout.Values;

namespace Lookout.Sprig.Tests;

/// <summary>
/// Corners the conformance file does not reach (xstrings' word rules, durations, toDecimal, semver methods, Go's
/// argument types) and the functions whose output is random or reaches outside: keys, certificates, bcrypt,
/// derivePassword, AES, random strings, getHostByName, the os* paths.
/// </summary>
public sealed class FunctionTests
{
    private static readonly TemplateOptions Options = new() { Functions = SprigFunctions.Create(new UtcClock()) };

    private static readonly ObjectMap Data = new() { ["n"] = 90L, ["ns"] = 3_600_000_000_001L, ["f"] = 1.5, ["s"] = "x" };

    private static string Render(string template) => GoTemplate.Parse("t", template, Options).Execute(Data);

    [Theory]
    [InlineData("{{ camelcase \"some_words\" }}", "SomeWords")]
    [InlineData("{{ camelcase \"http_server\" }}", "HttpServer")]
    [InlineData("{{ camelcase \"no_https\" }}", "NoHttps")]
    [InlineData("{{ camelcase \"_complex__case_\" }}", "_Complex_Case_")]
    [InlineData("{{ camelcase \"some words\" }}", "SomeWords")]
    [InlineData("{{ camelcase \"GOLANG_IS_GREAT\" }}", "GolangIsGreat")]
    [InlineData("{{ camelcase \"a\" }}", "A")]
    [InlineData("{{ snakecase \"FirstName\" }}", "first_name")]
    [InlineData("{{ snakecase \"HTTPServer\" }}", "http_server")]
    [InlineData("{{ snakecase \"NoHTTPS\" }}", "no_https")]
    [InlineData("{{ snakecase \"GO_PATH\" }}", "go_path")]
    [InlineData("{{ snakecase \"GO PATH\" }}", "go_path")]
    [InlineData("{{ snakecase \"GO-PATH\" }}", "go_path")]
    [InlineData("{{ snakecase \"http2xx\" }}", "http_2xx")]
    [InlineData("{{ snakecase \"HTTP20xOK\" }}", "http_20x_ok")]
    [InlineData("{{ snakecase \"Duration2m3s\" }}", "duration_2m3s")]
    [InlineData("{{ snakecase \"Bld4Floor3rd\" }}", "bld4_floor_3rd")]
    [InlineData("{{ kebabcase \"HTTPServer\" }}", "http-server")]
    [InlineData("{{ kebabcase \"FirstName\" }}", "first-name")]
    [InlineData("{{ swapcase \"Hello World\" }}", "hELLO wORLD")]
    [InlineData("{{ swapcase \"hello\" }}", "HELLO")]
    [InlineData("{{ duration 90 }}", "0s")]
    [InlineData("{{ duration .n }}", "1m30s")]
    [InlineData("{{ duration \"90\" }}", "1m30s")]
    [InlineData("{{ duration \"1h\" }}", "0s")]
    [InlineData("{{ durationRound \"2h5m\" }}", "2h")]
    [InlineData("{{ durationRound \"-49h\" }}", "2d")]
    [InlineData("{{ durationRound \"3mo\" }}", "0s")]
    // Go's int is 64 bits wide: a literal past 32 bits is still an int (durationRound reads only int64, and ignores it).
    [InlineData("{{ durationRound 7200000000000 }} {{ durationRound .ns }}", "0s 1h")]
    [InlineData("{{ typeOf 7200000000000 }} {{ kindOf 7200000000000 }} {{ printf \"%T %v %d\" 7200000000000 7200000000000 -7200000000000 }}", "int int int 7200000000000 -7200000000000")]
    [InlineData("{{ typeOf (int \"7200000000000\") }} {{ atoi \"7200000000000\" }} {{ typeOf (int64 7200000000000) }} {{ add 7200000000000 1 }}", "int 7200000000000 int64 7200000000001")]
    [InlineData("{{ eq 7200000000000 7200000000000 }} {{ lt 7200000000000 7200000000001 }} {{ if 7200000000000 }}true{{ end }} {{ toJson 7200000000000 }} {{ 7200000000000 }}", "true true true 7200000000000 7200000000000")]
    // RE2's \b, \w, \d are ASCII: é is not a word character.
    [InlineData("{{ regexMatch \"\\\\bfoo\\\\b\" \"éfooé\" }} {{ regexFindAll \"\\\\b\\\\w+\\\\b\" \"héllo wörld\" -1 }} {{ regexReplaceAll \"\\\\B\" \"ab\" \"-\" }}", "true [h llo w rld] a-b")]
    // Typed slices: the functions that return []string, []int or [][]interface {} in Go say so.
    [InlineData("{{ typeOf (splitList \",\" \"a,b\") }}|{{ typeOf (keys (dict \"a\" 1)) }}|{{ typeOf (regexFindAll \"a\" \"aa\" -1) }}|{{ typeOf (regexSplit \"a\" \"bab\" -1) }}|{{ typeOf (sortAlpha (list 2 1)) }}|{{ typeOf (toStrings (list 1)) }}", "[]string|[]string|[]string|[]string|[]string|[]string")]
    [InlineData("{{ typeOf (until 3) }}|{{ typeOf (untilStep 0 3 1) }}|{{ typeOf (chunk 2 (list 1 2 3)) }}|{{ typeOf (list 1) }}|{{ kindOf (until 3) }}|{{ typeOf (deepCopy (until 2)) }}", "[]int|[]int|[][]interface {}|[]interface {}|slice|[]int")]
    [InlineData("{{ deepEqual (splitList \",\" \"a\") (list \"a\") }} {{ deepEqual (splitList \",\" \"a\") (toStrings (list \"a\")) }} {{ typeOf (append (splitList \",\" \"a\") \"b\") }} {{ splitList \",\" \"a,b\" }}", "false true []interface {} [a b]")]
    [InlineData("{{ substr 0 7200000000000 \"abc\" }} {{ trunc 7200000000000 \"abc\" }} {{ len (chunk 7200000000000 (list 1 2)) }}", "abc abc 1")]
    [InlineData("{{ durationRound .ns }}", "1h")]
    [InlineData("{{ toDate \"2006-01-02\" \"2024-02-29\" }}", "2024-02-29 00:00:00 +0000 UTC")]
    [InlineData("{{ toDate \"2006-01-02\" \"2024-02-29\" | dateModify \"-1.5h\" | date \"2006-01-02 15:04\" }}", "2024-02-28 22:30")]
    [InlineData("{{ toDate \"2006-01-02\" \"2024-02-29\" | dateModify \"bad\" | date \"2006-01-02\" }}", "2024-02-29")]
    [InlineData("{{ dateInZone \"15:04 MST\" 1700000000 \"Nowhere/City\" }}", "22:13 UTC")]
    [InlineData("{{ toDecimal \"0777\" }}", "511")]
    [InlineData("{{ toDecimal 777 }}", "511")]
    [InlineData("{{ toDecimal \"-17\" }}", "-15")]
    [InlineData("{{ toDecimal \"8\" }}", "0")]
    [InlineData("{{ toDecimal 1.5 }}", "0")]
    [InlineData("{{ (semver \"v1.2.3-beta.1+b7\").Major }} {{ (semver \"v1.2.3-beta.1+b7\").Prerelease }} {{ (semver \"v1.2.3-beta.1+b7\").Metadata }}", "1 beta.1 b7")]
    [InlineData("{{ (semver \"v1.2.3\").IncMinor }} {{ ((semver \"v1.2.3\").IncMinor).Original }}", "1.3.0 v1.3.0")]
    [InlineData("{{ (semver \"1.2.3-rc.1\").IncPatch }} {{ (semver \"1.2.3\").IncPatch }} {{ (semver \"1.2.3\").IncMajor }}", "1.2.3 1.2.4 2.0.0")]
    [InlineData("{{ (semver \"1.2.3\").Compare (semver \"1.3.0\") }} {{ (semver \"1.2.3\").LessThan (semver \"1.2.3-rc.1\") }}", "-1 false")]
    [InlineData("{{ typeOf (semver \"1.2\") }} {{ semver \"1.2\" }}", "*semver.Version 1.2.0")]
    [InlineData("{{ semverCompare \"^1.2\" \"1.9.0\" }} {{ semverCompare \"~1.2\" \"1.3.0\" }} {{ semverCompare \">=1.0 <2.0\" \"1.5.0\" }}", "true false true")]
    [InlineData("{{ semverCompare \"1.2 - 1.4\" \"1.3.0\" }} {{ semverCompare \"1.x || 3.x\" \"2.0.0\" }} {{ semverCompare \">1.0\" \"1.1.0-rc.1\" }}", "true false false")]
    [InlineData("{{ semverCompare \"!=1.2.x\" \"1.2.9\" }} {{ semverCompare \"<=1.2\" \"1.2.9\" }} {{ semverCompare \"^0.2.3\" \"0.2.9\" }}", "false true true")]
    [InlineData("{{ osBase \"/a/b.txt\" }} {{ osDir \"/a/b.txt\" }} {{ osExt \"/a/b.txt\" }} {{ osClean \"/a/../b//c/\" }} {{ osIsAbs \"a/b\" }}", "b.txt /a .txt /b/c false")]
    [InlineData("{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}", "ZedaFaxcZaso9*")]
    [InlineData("{{ derivePassword 2 \"long\" \"password\" \"user\" \"example.com\" }}", "Fovi2@JifpTupx")]
    [InlineData("{{ derivePassword 1 \"maximum\" \"password\" \"user\" \"example.com\" }}", "pf4zS1LjCg&LjhsZ7T2~")]
    [InlineData("{{ derivePassword 1 \"medium\" \"password\" \"user\" \"example.com\" }}", "ZedJuz8$")]
    [InlineData("{{ derivePassword 1 \"basic\" \"password\" \"user\" \"example.com\" }}", "pIS54PLs")]
    [InlineData("{{ derivePassword 1 \"short\" \"password\" \"user\" \"example.com\" }}", "Zed5")]
    [InlineData("{{ derivePassword 1 \"pin\" \"password\" \"user\" \"example.com\" }}", "6685")]
    [InlineData("{{ derivePassword 1 \"nope\" \"password\" \"user\" \"example.com\" }}", "cannot find password template nope")]
    [InlineData("{{ decryptAES \"secretkey\" \"AAECAwQFBgcICQoLDA0OD4aChIkqfhLglmmHSXlA6r0=\" }}", "plaintext")]
    [InlineData("{{ decryptAES \"secretkey\" \"AAECAwQFBgcICQoLDA0ODw13PRiD0I2BWiF9V3XV5rnI8Xv993xgE7MNi49OUt+F42Eu79Ka4jnyaQtQcdKjnA==\" }}", "Hello, Argo CD! 0123456789abcdef")]
    [InlineData("{{ \"Hello, Argo CD!\" | encryptAES \"k\" | decryptAES \"k\" }}", "Hello, Argo CD!")]
    [InlineData("{{ encryptAES \"k\" \"\" }}|{{ decryptAES \"k\" \"\" }}", "|")]
    [InlineData("{{ htpasswd \"a:b\" \"pw\" }}", "invalid username: a:b")]
    [InlineData("{{ randAlpha -1 }}|{{ randNumeric 0 }}", "|")]
    [InlineData("{{ genPrivateKey \"x25519\" }}", "Unknown type x25519")]
    public void Renders_AsSprigV330Does(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ repeat .n \"x\" }}", "wrong type for value; expected int; got int64")]
    [InlineData("{{ round 1.5 0 .n }}", "wrong type for value; expected float64; got int64")]
    [InlineData("{{ derivePassword .n \"long\" \"p\" \"u\" \"s\" }}", "wrong type for value; expected uint32; got int64")]
    [InlineData("{{ genSelfSignedCert \"x\" .s nil 1 }}", "wrong type for value; expected []interface {}; got string")]
    [InlineData("{{ semverCompare \"NBSWY3DP\" \"1.2.3\" }}", "improper constraint: NBSWY3DP")]
    [InlineData("{{ semver \"1.2.3.4\" }}", "Invalid Semantic Version")]
    [InlineData("{{ decryptAES \"k\" \"AAECAwQFBgcICQoLDA0ODw==\" }}", "index out of range")]
    [InlineData("{{ decryptAES \"k\" \"!!\" }}", "illegal base64 data at input byte 0")]
    [InlineData("{{ randBytes -1 }}", "makeslice: len out of range")]
    [InlineData("{{ genSelfSignedCert \"x\" (list \"1.2.3\") nil 1 }}", "error parsing ip: 1.2.3")]
    [InlineData("{{ genSignedCert \"x\" nil nil 1 .s }}", "expected sprig.certificate; got string")]
    [InlineData("{{ buildCustomCert \"!\" \"\" }}", "unable to decode base64 certificate")]
    [InlineData("{{ getHostByName \"no-such-host.invalid\" }}", "invalid argument to Intn")]
    public void Fails_AsSprigV330Does(string template, string reason)
    {
        var ex = Assert.Throws<TemplateExecException>(() => Render(template));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("randAlphaNum", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("randAlpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")]
    [InlineData("randNumeric", "0123456789")]
    [InlineData("randAscii", " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")]
    public void RandomStrings_HaveTheLengthAndAlphabetAsked(string function, string alphabet)
    {
        string s = Render($"{{{{ {function} 200 }}}}");
        Assert.Equal(200, s.Length);
        Assert.All(s, c => Assert.Contains(c, alphabet));
    }

    [Fact]
    public void RandBytes_IsBase64OfTheCountAsked() =>
        Assert.Equal(33, Convert.FromBase64String(Render("{{ randBytes 33 }}")).Length);

    [Fact]
    public void Bcrypt_GivesAGoCompatibleHash_ThatVerifies()
    {
        string hash = Render("{{ bcrypt \"s3cret\" }}");
        Assert.Matches(@"^\$2a\$10\$[./A-Za-z0-9]{53}$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify("s3cret", hash));
        Assert.False(BCrypt.Net.BCrypt.Verify("other", hash));
        Assert.Equal("failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes", Render($"{{{{ bcrypt \"{new string('x', 73)}\" }}}}"));
    }

    [Fact]
    public void Htpasswd_IsUserColonBcrypt()
    {
        string line = Render("{{ htpasswd \"admin\" \"pw\" }}");
        Assert.StartsWith("admin:$2a$10$", line, StringComparison.Ordinal);
        Assert.True(BCrypt.Net.BCrypt.Verify("pw", line["admin:".Length..]));
    }

    [Fact]
    public void GenPrivateKey_WritesPemThatDotNetReads()
    {
        using (var rsa = RSA.Create())
        {
            string pem = Render("{{ genPrivateKey \"rsa\" }}");
            Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
            rsa.ImportFromPem(pem);
            Assert.Equal(4096, rsa.KeySize);
        }

        using (var ec = ECDsa.Create())
        {
            string pem = Render("{{ genPrivateKey \"ecdsa\" }}");
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
            ec.ImportFromPem(pem);
            Assert.Equal(256, ec.KeySize);
        }

        string dsa = Render("{{ genPrivateKey \"dsa\" }}");
        Assert.StartsWith("-----BEGIN DSA PRIVATE KEY-----\n", dsa, StringComparison.Ordinal);
        AsnReader fields = new AsnReader(PemDer(dsa), AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(0, (int)fields.ReadInteger());
        Assert.InRange(fields.ReadInteger().GetByteCount(isUnsigned: true), 255, 256);

        string ed = Render("{{ genPrivateKey \"ed25519\" }}");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", ed, StringComparison.Ordinal);
        AsnReader pkcs8 = new AsnReader(PemDer(ed), AsnEncodingRules.DER).ReadSequence();
        pkcs8.ReadInteger();
        Assert.Equal("1.3.101.112", pkcs8.ReadSequence().ReadObjectIdentifier());
        Assert.Equal(32, new AsnReader(pkcs8.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString().Length);
    }

    [Fact]
    public void GenCA_IsACertificateAuthority_ForTheDaysAsked()
    {
        string[] parts = Render("{{ $ca := genCA \"Lookout CA\" 30 }}{{ $ca.Cert }}|{{ $ca.Key }}").Split('|');
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(parts[0], parts[1]);
        Assert.True(ca.HasPrivateKey);
        Assert.Equal("CN=Lookout CA", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(30, Math.Round((ca.NotAfter - ca.NotBefore).TotalDays));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", parts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void GenSelfSignedCert_CarriesTheSubjectAndSans()
    {
        string[] parts = Render("{{ $c := genSelfSignedCert \"web.local\" (list \"10.0.0.1\" \"::1\") (list \"web.local\" \"alt.local\") 7 }}{{ $c.Cert }}|{{ $c.Key }}").Split('|');
        using X509Certificate2 cert = X509Certificate2.CreateFromPem(parts[0], parts[1]);
        Assert.Equal("CN=web.local", cert.Subject);
        Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["web.local", "alt.local"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.0.1"), IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
        Assert.Equal(7, Math.Round((cert.NotAfter - cert.NotBefore).TotalDays));
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
    }

    [Fact]
    public void GenSignedCert_ChainsToTheCA_AndWithKeyUsesTheKey()
    {
        string[] parts = Render(
            "{{ $ca := genCA \"root\" 5 }}{{ $key := genPrivateKey \"ecdsa\" }}" +
            "{{ $c := genSignedCertWithKey \"leaf\" nil (list \"leaf.local\") 3 $ca $key }}" +
            "{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}|{{ $key }}|{{ (genSignedCert \"other\" nil nil 1 $ca).Cert }}").Split('|');
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(parts[0]);
        using X509Certificate2 leaf = X509Certificate2.CreateFromPem(parts[1], parts[2]);
        using X509Certificate2 other = X509Certificate2.CreateFromPem(parts[4]);
        Assert.Equal(parts[3], parts[2]);
        Assert.Equal("CN=root", leaf.Issuer);
        Assert.NotNull(leaf.GetECDsaPublicKey());
        foreach (X509Certificate2 cert in new[] { leaf, other })
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(cert), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        }
    }

    [Fact]
    public void GenSelfSignedCertWithKey_AndBuildCustomCert_KeepTheKey()
    {
        string[] parts = Render(
            "{{ $key := genPrivateKey \"ecdsa\" }}{{ $c := genSelfSignedCertWithKey \"k\" nil nil 2 $key }}" +
            "{{ $b := buildCustomCert (b64enc $c.Cert) (b64enc $c.Key) }}{{ $b.Cert }}|{{ $b.Key }}|{{ $key }}|{{ typeOf $b }}").Split('|');
        using X509Certificate2 cert = X509Certificate2.CreateFromPem(parts[0], parts[1]);
        Assert.Equal(parts[2], parts[1]);
        Assert.Equal("sprig.certificate", parts[3]);
    }

    [Fact]
    public void Ed25519Keys_MakeCertificates_SelfSignedAndSigningOthers()
    {
        // Go's x509 signs with an ed25519.PrivateKey (PureEd25519); .NET loads such certificates, and the signatures
        // verify against the key's public half.
        string[] parts = Render(
            "{{ $key := genPrivateKey \"ed25519\" }}{{ $ca := genCAWithKey \"ed root\" 5 $key }}" +
            "{{ $leaf := genSignedCert \"leaf\" (list \"10.0.0.2\") (list \"leaf.local\") 3 $ca }}" +
            "{{ $self := genSelfSignedCertWithKey \"self\" nil (list \"self.local\") 2 $key }}" +
            "{{ $ca.Cert }}|{{ $leaf.Cert }}|{{ $self.Cert }}|{{ $self.Key }}|{{ $key }}|" +
            "{{ (genSelfSignedCertWithKey \"other\" nil nil 1 (genPrivateKey \"ed25519\")).Cert }}").Split('|');
        Assert.Equal(parts[4], parts[3]);
        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        Org.BouncyCastle.X509.X509Certificate root = parser.ReadCertificate(PemDer(parts[0]));
        Org.BouncyCastle.X509.X509Certificate leaf = parser.ReadCertificate(PemDer(parts[1]));
        Org.BouncyCastle.X509.X509Certificate self = parser.ReadCertificate(PemDer(parts[2]));
        Assert.Equal("1.3.101.112", root.SigAlgOid);
        root.Verify(root.GetPublicKey());
        self.Verify(root.GetPublicKey()); // the same key signed both
        leaf.Verify(root.GetPublicKey());
        Org.BouncyCastle.X509.X509Certificate other = parser.ReadCertificate(PemDer(parts[5]));
        other.Verify(other.GetPublicKey());
        Assert.ThrowsAny<Org.BouncyCastle.Security.GeneralSecurityException>(() => root.Verify(other.GetPublicKey()));

        using X509Certificate2 ca = X509CertificateLoader.LoadCertificate(PemDer(parts[0]));
        using X509Certificate2 leafCert = X509CertificateLoader.LoadCertificate(PemDer(parts[1]));
        Assert.Equal("CN=ed root", ca.Subject);
        Assert.Equal("1.3.101.112", ca.PublicKey.Oid.Value);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("CN=ed root", leafCert.Issuer);
        Assert.Equal("1.2.840.113549.1.1.1", leafCert.PublicKey.Oid.Value); // genSignedCert makes an RSA key for the leaf
        var san = leafCert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["leaf.local"], san.EnumerateDnsNames());
        Assert.Equal(3, Math.Round((leafCert.NotAfter - leafCert.NotBefore).TotalDays));
    }

    [Fact]
    public void GetHostByName_ResolvesLocalhost()
    {
        string address = Render("{{ getHostByName \"localhost\" }}");
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(address)), address);
    }

    private static byte[] PemDer(string pem)
    {
        PemFields fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    private sealed class UtcClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
