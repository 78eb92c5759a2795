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
        Check(new IPEndPoint(advertised, silo.GatewayPort), "Silo:GatewayPort", "--gateway-port");
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
        // A plain bind (no address reuse) fails while any other socket listens there, Orleans' included.
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            var why = ex.SocketErrorCode == SocketError.AccessDenied ? "may not be used by this account" : "is already in use (another pool silo on this host?)";
            throw new CommonsException(
                $"Port {endpoint.Port} on {endpoint.Address} ({setting}) {why}; choose a free one with {flag}, or stop what holds it.");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new CommonsException($"{endpoint.Address} ({setting}) is not an address of this host.");
        }
    }
}
