namespace Commons.Community.Tests;

/// <summary>
/// A test that needs the real PostgreSQL that <c>.ci/postgres.sh</c> starts (COMMONS_TEST_POSTGRES).
/// In CI (CI=true) it always runs, so a missing database fails it with a clear message; on a developer's
/// machine without the variable it is skipped with the reason.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null && !PostgresServer.InCi)
        {
            Skip = $"{PostgresServer.Variable} is not set: run `source .ci/postgres.sh` to start PostgreSQL on 127.0.0.1 (CI always does).";
        }
    }
}
