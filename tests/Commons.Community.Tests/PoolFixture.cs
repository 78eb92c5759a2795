namespace Commons.Community.Tests;

/// <summary>One pool (silo, database) shared by the tests of the <see cref="PoolCollection"/>; each test uses its own topic.</summary>
public sealed class PoolFixture : IAsyncLifetime
{
    private TestPool? _pool;

    internal TestPool Pool => _pool ?? throw new InvalidOperationException(
        $"{PostgresServer.Variable} is not set. CI must run `source .ci/postgres.sh` before the tests.");

    public async Task InitializeAsync()
    {
        _pool = await TestPool.StartAsync(new Dictionary<string, string?>
        {
            ["Pool:K"] = "3",
            ["Pool:FreeReadsPerDay"] = "3",
            ["Pool:CreditPerContribution"] = "2",
            ["Pool:ReadCost"] = "1",
            ["Pool:CapPerContributor"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        if (_pool is not null)
        {
            await _pool.DisposeAsync();
        }
    }
}
