using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Commons.Abstractions.Hosting;

namespace Commons.Community.Hosting;

/// <summary>
/// How silos of one pool recognise each other: mutual TLS on the silo port, with either one shared
/// cluster certificate (each side must present the very certificate the other has) or certificates
/// issued by the cluster's own authority. Silos of a cluster trust each other's grain calls, so a
/// silo port that a network can reach must not accept anyone else.
/// </summary>
public sealed class SiloTls : IDisposable
{
    private readonly X509Certificate2? _authority;

    private SiloTls(X509Certificate2 certificate, X509Certificate2? authority)
    {
        Certificate = certificate;
        _authority = authority;
    }

    /// <summary>This silo's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The TLS settings of a silo, or null for a silo on loopback without a certificate. Throws a
    /// <see cref="CommonsException"/> (one sentence) for a silo that listens beyond loopback without
    /// one, or for a certificate that does not load.
    /// </summary>
    public static SiloTls? From(CommunitySiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.TryParse(options.AdvertisedAddress, out var address))
        {
            throw new CommonsException($"Silo:AdvertisedAddress must be an IP address, not {options.AdvertisedAddress}.");
        }

        if (string.IsNullOrWhiteSpace(options.TlsCertificate))
        {
            if (!IPAddress.IsLoopback(address))
            {
                throw new CommonsException(
                    $"The silo would listen on {address}, beyond loopback, where silo-to-silo calls must be mutual TLS: give it the cluster's certificate with --tls-certificate (Silo:TlsCertificate; `commons pool cluster-cert` makes one).");
            }

            return null;
        }

        var certificate = Load(options.TlsCertificate, "Silo:TlsCertificate",
            path => X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassword, X509KeyStorageFlags.EphemeralKeySet));
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CommonsException($"Silo:TlsCertificate ({options.TlsCertificate}) has no private key; give the PKCS#12 file that holds the silo's key.");
        }

        var authority = string.IsNullOrWhiteSpace(options.TlsCertificateAuthority)
            ? null
            : Load(options.TlsCertificateAuthority, "Silo:TlsCertificateAuthority", X509CertificateLoader.LoadCertificateFromFile);
        return new SiloTls(certificate, authority);
    }

    /// <summary>
    /// Whether another silo's certificate belongs to this cluster. Silos dial each other by address, so
    /// the host name is not checked: the certificate itself (pinned, or issued by the cluster's
    /// authority) is the proof.
    /// </summary>
    public bool Accepts(X509Certificate2 remote, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (_authority is null)
        {
            return remote.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span);
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_authority);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(remote);
    }

    /// <summary>
    /// A new self-signed cluster certificate (ECDSA P-256, for server and client authentication) for
    /// every silo of one cluster to share, as PKCS#12 bytes.
    /// </summary>
    public static byte[] CreateClusterCertificate(string clusterName, TimeSpan lifetime, string? password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clusterName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(lifetime));
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _authority?.Dispose();
    }

    private static X509Certificate2 Load(string path, string setting, Func<string, X509Certificate2> load)
    {
        if (!File.Exists(path))
        {
            throw new CommonsException($"{setting} names {path}, which does not exist.");
        }

        try
        {
            return load(path);
        }
        catch (CryptographicException ex)
        {
            throw new CommonsException($"{setting} ({path}) could not be read as a certificate: {ex.Message}", ex);
        }
    }
}
