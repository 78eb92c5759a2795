using System.Globalization;
using Commons.Community.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Microsoft.Extensions.Logging;

namespace Commons.Community.Tests;

/// <summary>A real community silo in this process: its own PostgreSQL database, cluster and admin key, HTTP on 127.0.0.1.</summary>
internal sealed class TestPool : IAsyncDisposable
{
    private readonly List<ContributorKey> _keys = [];
    private readonly List<HttpClient> _clients = [];

    private TestPool(CommunitySilo silo, ContributorKey admin, string database)
    {
        Silo = silo;
        Admin = admin;
        Database = database;
    }

    public CommunitySilo Silo { get; }

    public ContributorKey Admin { get; }

    public string Database { get; }

    public Uri Url => Silo.Url;

    /// <param name="admin">The admin key (one that signed the pool's policy); a new one when null.</param>
    public static async Task<TestPool> StartAsync(IReadOnlyDictionary<string, string?>? policy = null, ContributorKey? admin = null)
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        admin ??= ContributorKey.Create();
        var silo = await StartSiloAsync(database, admin, policy);
        return new TestPool(silo, admin, database);
    }

    /// <summary>Another silo of this pool (its database and admin key, its own ports), as after a restart.</summary>
    public Task<CommunitySilo> StartSiloAsync(IReadOnlyDictionary<string, string?>? policy = null) => StartSiloAsync(Database, Admin, policy);

    private static Task<CommunitySilo> StartSiloAsync(string database, ContributorKey admin, IReadOnlyDictionary<string, string?>? policy)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Silo:ConnectionString"] = database,
            ["Silo:Urls"] = $"http://127.0.0.1:{Ports.Free()}",
            ["Silo:SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo:AdminUrls"] = $"http://127.0.0.1:{Ports.Free()}",
            ["Pool:AdminKey"] = admin.KeyId,
            ["Pool:FederationIntervalSeconds"] = "1",
        };
        foreach (var (key, value) in policy ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return CommunitySilo.StartAsync(settings, null, l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error));
    }

    /// <summary>A client signing with a new key that is not (yet) a member.</summary>
    public PoolClient Stranger(out ContributorKey key) => ClientFor(Url, out key);

    public PoolClient ClientFor(Uri url, out ContributorKey key)
    {
        key = ContributorKey.Create();
        _keys.Add(key);
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(http);
        return new PoolClient(http, key);
    }

    public PoolClient AdminClient()
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(http);
        return new PoolClient(http, Admin);
    }

    public string Invite(int uses = 1) => InviteToken.Create(Admin, TimeSpan.FromDays(1), uses, DateTimeOffset.UtcNow);

    /// <summary>An invite for another pool: it may read the feed.</summary>
    public string PeerInvite() => InviteToken.Create(Admin, TimeSpan.FromDays(1), 1, DateTimeOffset.UtcNow, peer: true);

    /// <summary>A client whose key has joined as a peer pool.</summary>
    public async Task<PoolClient> PeerAsync()
    {
        var client = Stranger(out _);
        await client.JoinAsync(PeerInvite());
        return client;
    }

    /// <summary>A client whose key has joined the pool.</summary>
    public async Task<(PoolClient Client, ContributorKey Key)> MemberAsync()
    {
        var client = Stranger(out var key);
        await client.JoinAsync(Invite());
        return (client, key);
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }

        Admin.Dispose();
        await PostgresServer.DropDatabaseAsync(Database);
    }
}
