using System.ComponentModel.DataAnnotations;

namespace Commons.Serve.Hosting;

/// <summary>How <c>commons serve</c> listens; bound from the <c>Serve</c> configuration section.</summary>
public sealed class ServeOptions
{
    public const string SectionName = "Serve";

    /// <summary>The default address: this machine only, the port next to Ollama's.</summary>
    public const string DefaultUrls = "http://127.0.0.1:11435";

    /// <summary>Where the API listens (<c>;</c> between several addresses).</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// The key clients send as <c>Authorization: Bearer KEY</c>. Required to listen on any address but
    /// loopback; when set, every request must carry it.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Web origins allowed to call the API from a browser page (none by default: no CORS).</summary>
    public IList<string> CorsOrigins { get; } = [];
}
