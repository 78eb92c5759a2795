using System.Reflection;
using Commons.Abstractions.Hosting;
using Npgsql;

namespace Commons.Community.Hosting;

/// <summary>
/// The project's own PostgreSQL schema scripts (deploy/sql/postgresql, embedded): Orleans clustering
/// and grain state. They are idempotent, so applying them again is harmless.
/// </summary>
public static class PoolSchema
{
    /// <summary>The ADO.NET invariant of Npgsql, as Orleans looks it up.</summary>
    public const string Invariant = "Npgsql";

    private const string Prefix = "Commons.Community.Sql.";

    /// <summary>The scripts in the order they run.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(PoolSchema).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The connection string the silo's clustering and grain storage use: the one given, with two
    /// defaults for a database that takes a write per durable publish. Npgsql prepares the few
    /// statements Orleans repeats (<c>Max Auto Prepare</c>), so PostgreSQL stops parsing and planning
    /// each one; and a pooled connection is not reset with <c>DISCARD ALL</c> when it goes back to the
    /// pool (<c>No Reset On Close</c>), which would drop those prepared statements and cost a round
    /// trip per operation (Orleans keeps no session state on its connections). Either keyword given
    /// in the connection string wins.
    /// </summary>
    public static string ForSilo(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = Parse(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 20;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection string read as Npgsql reads it; one it cannot read is a <see cref="CommonsException"/> naming the option.</summary>
    private static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            throw new CommonsException($"The pool's connection string (--connection or Silo:ConnectionString) is not one Npgsql reads, such as Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=commons: {ex.Message}", ex);
        }
    }

    /// <summary>Applies every script in one transaction; a database that cannot be reached becomes a <see cref="CommonsException"/>.</summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var valid = Parse(connectionString).ConnectionString;
        try
        {
            await using var connection = new NpgsqlConnection(valid);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Two silos starting at once must not run the DDL concurrently.
            await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(727100101)", connection, transaction))
            {
                await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var name in ScriptNames)
            {
                await using var command = new NpgsqlCommand(Read(name), connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            throw new CommonsException($"The pool database could not be prepared: {ex.Message}", ex);
        }
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The schema script {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
