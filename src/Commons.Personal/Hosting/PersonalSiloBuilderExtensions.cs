using System.Net;
using System.Net.Sockets;
using Commons.Abstractions.Hosting;
using Commons.Personal.Storage;
using Orleans.Configuration;

namespace Commons.Personal.Hosting;

/// <summary>Configures the one-silo personal cluster: localhost clustering, SQLite grain state.</summary>
public static class PersonalSiloBuilderExtensions
{
    /// <summary>The service id under which the person's grain state is stored.</summary>
    public const string ServiceId = "commons-personal";

    /// <summary>The id of the one-silo cluster (what a client attaching over loopback names).</summary>
    public const string ClusterId = "personal";

    public static ISiloBuilder AddPersonalSilo(this ISiloBuilder silo, CommonsHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        // Free ports, so that several people (or a test run) on one machine never collide.
        silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: ServiceId, clusterId: ClusterId);
        silo.AddAdoNetGrainStorage(StorageNames.Personal, o =>
        {
            o.Invariant = SqliteGrainStore.Invariant;
            o.ConnectionString = SqliteGrainStore.ConnectionString(home.DatabasePath);
        });
        silo.UseSystemTextJsonGrainStorageSerializer();
        return silo;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
