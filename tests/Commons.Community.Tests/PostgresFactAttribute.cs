namespace Commons.Community.Tests;

/// <summary>
/// A test that needs the real PostgreSQL: the one COMMONS_TEST_POSTGRES names, or else the one the
/// project's script starts (<see cref="Commons.Tests.Shared.TestPostgres"/>). It is never skipped.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
}
