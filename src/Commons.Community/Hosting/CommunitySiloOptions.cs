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

    /// <summary>Address other silos reach this one at.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    [Required]
    public string ClusterId { get; set; } = "commons-pool";

    [Required]
    public string ServiceId { get; set; } = "commons-pool";

    /// <summary>Seconds without an answer after which a silo is suspected; a dead silo is declared after two misses.</summary>
    [Range(0.5, 60)]
    public double ProbeTimeoutSeconds { get; set; } = 2;
}
