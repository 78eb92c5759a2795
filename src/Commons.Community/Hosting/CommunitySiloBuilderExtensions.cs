using System.Net;
using Commons.Abstractions.Pools;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Commons.Community.Hosting;

/// <summary>
/// Configures a community silo: ADO.NET clustering and grain state, both on PostgreSQL; no gateway
/// (members use the HTTP API, and an Orleans client would skip its signatures and invites); mutual
/// TLS between silos when a certificate is given.
/// </summary>
public static class CommunitySiloBuilderExtensions
{
    public static ISiloBuilder AddCommunitySilo(this ISiloBuilder silo, CommunitySiloOptions options, SiloTls? tls)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        // Gateway port 0: the silo opens no gateway at all.
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, gatewayPort: 0, listenOnAnyHostAddress: false);
        if (tls is not null)
        {
            silo.UseTls(tls.Certificate, o =>
            {
                o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = tls.Accepts;
            });
        }

        var connectionString = PoolSchema.ForSilo(options.ConnectionString);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PoolSchema.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(PoolStorageNames.Pool, o =>
        {
            o.Invariant = PoolSchema.Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A member's silo that dies must not stall its grains for long: with two misses of a short
            // probe the others declare it dead and its grains activate again elsewhere.
            o.ProbeTimeout = TimeSpan.FromSeconds(options.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(Math.Max(2, options.ProbeTimeoutSeconds * 2));
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        return silo;
    }
}
