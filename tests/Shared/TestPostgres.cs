using System.Diagnostics;
using Npgsql;

namespace Commons.Tests.Shared;

/// <summary>
/// The PostgreSQL the pool tests need: the server of COMMONS_TEST_POSTGRES, or, when that is not set,
/// the one the project's own script installs and starts (<c>.ci/postgres.sh</c>, Debian's package on
/// 127.0.0.1), so that the tests run, none skipped, on a fresh machine too. Linked into each test
/// project that needs it.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "COMMONS_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _server;

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(int maxPoolSize = 100)
    {
        var server = await ServerAsync();
        var name = "commons_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = maxPoolSize }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await ServerAsync());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The server's connection string (to its postgres database), started first when need be.</summary>
    public static async Task<string> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _server ??= Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> StartAsync()
    {
        var script = RepositoryFile(Path.Combine(".ci", "postgres.sh"));
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"source '{script}' >&2 && printf '%s' \"$COMMONS_TEST_POSTGRES\"");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0 || (await output).Length == 0)
        {
            throw new InvalidOperationException($"{script} could not start PostgreSQL (exit {process.ExitCode}):\n{await error}");
        }

        return await output;
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, relative)))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException($"No {relative} was found above {AppContext.BaseDirectory}.");
    }
}
