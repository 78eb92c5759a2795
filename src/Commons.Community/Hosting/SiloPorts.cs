using System.Net;
using System.Net.Sockets;
using Commons.Abstractions.Hosting;
using Microsoft.AspNetCore.Http;

namespace Commons.Community.Hosting;

/// <summary>
/// Refuses to start a silo whose ports another process holds. Orleans would bind them anyway and
/// join the cluster under the same address, and the cluster then declares the silo already there dead.
/// </summary>
internal static class SiloPorts
{
    /// <summary>Throws one sentence naming the first port of <paramref name="silo"/> that is already taken.</summary>
    public static void EnsureFree(CommunitySiloOptions silo)
    {
        var advertised = IPAddress.Parse(silo.AdvertisedAddress);
        Check(new IPEndPoint(advertised, silo.SiloPort), "Silo:SiloPort", "--silo-port");
        foreach (var url in silo.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                throw new CommonsException($"Silo:Urls (--urls) is not an address to listen on: {url}.");
            }

            if (address.Port == 0)
            {
                continue;
            }

            var host = address.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "+" => IPAddress.Any,
                var other when IPAddress.TryParse(other.Trim('[', ']'), out var ip) => ip,
                _ => null,
            };
            if (host is not null)
            {
                Check(new IPEndPoint(host, address.Port), "Silo:Urls", "--urls");
            }
        }
    }

    private static void Check(IPEndPoint endpoint, string setting, string flag)
    {
        // Something that accepts a connection there holds the port. (A trial bind would also fail on
        // the TIME_WAIT connections a silo stopped a moment ago leaves behind, and refuse a restart.)
        var target = endpoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endpoint.Port)
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endpoint.Port)
            : endpoint;
        using var probe = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!probe.ConnectAsync(target).Wait(TimeSpan.FromSeconds(2)))
            {
                return;
            }
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException)
        {
            return;
        }

        throw new CommonsException(
            $"Port {endpoint.Port} on {endpoint.Address} ({setting}) is already in use (another pool silo on this host?); choose a free one with {flag}, or stop what holds it.");
    }
}
