using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Community.Tests;

/// <summary>
/// Tests that run real <c>commons pool serve</c> processes on one fresh database of their own, with
/// the pool's admin key, and members that join them over HTTP.
/// </summary>
public abstract class ServeProcessTests : IAsyncLifetime
{
    private readonly List<IDisposable> _owned = [];
    private string? _database;
    private ContributorKey? _admin;

    protected string Database => _database!;

    protected ContributorKey Admin => _admin!;

    public virtual async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        _admin = ContributorKey.Create();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _admin?.Dispose();
        if (_database is not null)
        {
            await PostgresServer.DropDatabaseAsync(_database);
        }
    }

    /// <summary>A new key that joined the pool at <paramref name="url"/> (as a peer pool when asked).</summary>
    protected async Task<(PoolClient Client, ContributorKey Key)> MemberAsync(Uri url, bool peer = false)
    {
        var key = ContributorKey.Create();
        _owned.Add(key);
        var client = ClientFor(url, key);
        await client.JoinAsync(InviteToken.Create(Admin, TimeSpan.FromHours(1), 1, DateTimeOffset.UtcNow, peer));
        return (client, key);
    }

    /// <summary>
    /// A call made as members' agents make it: a 503 (a silo busy past its call timeout, or a cluster
    /// still settling after a silo joined) is tried again, a few times.
    /// </summary>
    protected static async Task<T> AsAnAgentAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (PoolApiException ex) when (ex.Status == System.Net.HttpStatusCode.ServiceUnavailable && attempt < 10)
            {
                await Task.Delay(500 * attempt);
            }
        }
    }

    protected PoolClient ClientFor(Uri url, ContributorKey key)
    {
        var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        _owned.Add(http);
        return new PoolClient(http, key);
    }
}
