using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lookout.Repo.Tests;

/// <summary>A CA generated for the test run and a server certificate it signed for 127.0.0.1.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Lookout test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using RSA serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=argocd-repo-server", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using X509Certificate2 signed = serverRequest.Create(Ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4, 5, 6, 7, 8]);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(serverKey);
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        Directory.CreateDirectory(directory);
        CaFile = Path.Combine(directory, "ca.crt");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
    }

    private readonly string directory = Path.Combine(Path.GetTempPath(), "lookout-repo-tls-" + Guid.NewGuid().ToString("N"));

    /// <summary>The CA (public part only is written out).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The server's certificate with its key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA as a PEM file, for <c>--repo-server-ca-cert-path</c>.</summary>
    public string CaFile { get; }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
