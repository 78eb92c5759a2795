using System.Net;
using Commons.Abstractions.Hosting;

namespace Commons.Serve.Hosting;

/// <summary>The rule for who may reach <c>commons serve</c>: loopback is open, any other address needs an API key.</summary>
public static class ServeAccess
{
    /// <summary>Throws a <see cref="CommonsException"/> when an address is not loopback and no key is set, or an address is not a URL.</summary>
    public static void Check(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var url in Addresses(options.Urls))
        {
            // Kestrel's wildcards (http://*:PORT, http://+:PORT) mean every address.
            var probe = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CommonsException($"\"{url}\" is not an address commons serve can listen on; give one like {ServeOptions.DefaultUrls}.");
            }

            if (!IsLoopback(uri) && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                throw new CommonsException($"commons serve listens beyond this machine ({url}) only with an API key: set Serve:ApiKey in settings.json or COMMONS_Serve__ApiKey.");
            }
        }
    }

    /// <summary>The addresses in a <c>;</c>-separated list.</summary>
    public static IEnumerable<string> Addresses(string urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
