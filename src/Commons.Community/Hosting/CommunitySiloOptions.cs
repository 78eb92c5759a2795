using System.ComponentModel.DataAnnotations;

namespace Commons.Community.Hosting;

/// <summary>Where a community silo runs (configuration section <c>Silo</c>).</summary>
public sealed class CommunitySiloOptions
{
    public const string SectionName = "Silo";

    /// <summary>Npgsql connection string of the pool's database (clustering and grain state).</summary>
    [Required(ErrorMessage = "Silo:ConnectionString is required (--connection): the pool's PostgreSQL database.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>The pool HTTP API's address.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Address other silos reach this one at (and the only one the silo port listens on). There is no gateway: members use HTTP.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// The admin address (for example <c>http://127.0.0.1:5090</c>): the Prometheus endpoint and the
    /// Orleans Dashboard are served there and nowhere else. Empty: neither is served.
    /// </summary>
    public string? AdminUrls { get; set; }

    /// <summary>The port of <see cref="AdminUrls"/>, or null when there is no admin address.</summary>
    public int? AdminPort => string.IsNullOrWhiteSpace(AdminUrls) ? null : new Uri(AdminUrls.Split(';')[0]).Port;

    /// <summary>
    /// The silo's TLS certificate with its private key (a PKCS#12 file): silo-to-silo connections are
    /// mutual TLS with it. Required when the silo listens beyond loopback.
    /// </summary>
    public string? TlsCertificate { get; set; }

    /// <summary>Password of <see cref="TlsCertificate"/>, if it has one.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// The cluster's certificate authority (PEM or DER): other silos must present a certificate it issued.
    /// Without it, other silos must present the very certificate this silo has (one shared cluster certificate).
    /// </summary>
    public string? TlsCertificateAuthority { get; set; }

    [Required]
    public string ClusterId { get; set; } = "commons-pool";

    [Required]
    public string ServiceId { get; set; } = "commons-pool";

    /// <summary>Seconds without an answer after which a silo is suspected; a dead silo is declared after two misses.</summary>
    [Range(0.5, 60)]
    public double ProbeTimeoutSeconds { get; set; } = 2;
}
