using Microsoft.Data.Sqlite;

namespace Commons.Cli.Tests;

/// <summary>
/// <c>commons chat</c> given something unusable: exit code 2, one sentence naming the culprit,
/// no stack trace, and nothing of the person's overwritten.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class ChatBadInputTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chat_ModelFileMissing_NamesTheFile()
    {
        var result = await ChatAsync("chat", "--model", "/nonexistent.gguf");

        BadInputAssert.OneSentence(result, "/nonexistent.gguf");
        Assert.False(File.Exists("/nonexistent.gguf"), "commons created the missing model file.");
    }

    [Fact]
    public async Task Chat_ModelIsATextFile_SaysItIsNotAGgufModelFile()
    {
        var model = _scratch.PathOf("x.gguf");
        await File.WriteAllTextAsync(model, "These are my notes, not a model.\n");
        var before = await File.ReadAllBytesAsync(model);

        var result = await ChatAsync("chat", "--model", model);

        var sentence = BadInputAssert.OneSentence(result, model);
        Assert.True(sentence.Contains("not a GGUF model file", StringComparison.OrdinalIgnoreCase), $"Should say it is not a GGUF model file.\n{result}");
        BadInputAssert.Unchanged(model, before);
    }

    [Fact]
    public async Task Chat_ModelTruncated_SaysTruncated()
    {
        var whole = await File.ReadAllBytesAsync(SharedModels.Stories);
        var model = _scratch.PathOf("stories-partial.gguf");
        var part = whole[..(whole.Length * 6 / 10)];
        await File.WriteAllBytesAsync(model, part);

        var result = await ChatAsync("chat", "--model", model);

        var sentence = BadInputAssert.OneSentence(result, model);
        Assert.True(sentence.Contains("truncated", StringComparison.OrdinalIgnoreCase), $"Should say the model file is truncated.\n{result}");
        BadInputAssert.Unchanged(model, part);
    }

    [Fact]
    public async Task Chat_DataFolderIsAFile_NamesItAndLeavesItAlone()
    {
        var notAFolder = _scratch.PathOf("notes.txt");
        await File.WriteAllTextAsync(notAFolder, "shopping: milk, bread\n");
        var before = await File.ReadAllBytesAsync(notAFolder);

        var result = await CommonsExecutable.RunAsync(notAFolder, "hello\n/quit\n", "chat", "--model", SharedModels.Stories);

        BadInputAssert.OneSentence(result, notAFolder);
        BadInputAssert.Unchanged(notAFolder, before);
    }

    [Theory]
    [InlineData("random bytes")]
    [InlineData("SQLite header then garbage")]
    [InlineData("SQLite database with garbage pages")]
    public async Task Chat_DatabaseDamaged_NamesCommonsDbAndLeavesItAsItIs(string damage)
    {
        Directory.CreateDirectory(_scratch.Home);
        var database = Path.Combine(_scratch.Home, "commons.db");
        var before = DamagedDatabase(damage);
        await File.WriteAllBytesAsync(database, before);

        var result = await ChatAsync("chat", "--model", SharedModels.Stories);

        BadInputAssert.OneSentence(result, database);
        BadInputAssert.Unchanged(database, before);
    }

    [Fact]
    public async Task Chat_NoModelConfigured_TellsHowToGetOne()
    {
        var result = await ChatAsync("chat");

        var sentence = BadInputAssert.OneSentence(result, "commons model pull");
        Assert.True(sentence.Contains("--model", StringComparison.Ordinal), $"Should also mention --model.\n{result}");
    }

    [Fact]
    public async Task Chat_TemperatureOutOfRange_NamesTemperature()
    {
        var result = await ChatAsync("chat", "--model", SharedModels.Stories, "--temperature", "99");

        BadInputAssert.OneSentence(result, "Temperature");
    }

    private Task<CommonsRunResult> ChatAsync(params string[] args) =>
        CommonsExecutable.RunAsync(_scratch.Home, "hello\n/quit\n", args);

    /// <summary>4 KB or more that a SQLite reader must refuse, built the way <paramref name="damage"/> says.</summary>
    private byte[] DamagedDatabase(string damage)
    {
        var random = new Random(20240611);
        if (damage == "random bytes")
        {
            var bytes = new byte[4096];
            random.NextBytes(bytes);
            return bytes;
        }

        var real = RealDatabase();
        // "header then garbage": only the 100-byte file header survives, the schema page is gone.
        // "garbage pages": the first page (header and schema) survives, the table's pages are gone.
        var keep = damage == "SQLite header then garbage" ? 100 : 4096;
        var garbage = new byte[real.Length - keep];
        random.NextBytes(garbage);
        garbage.CopyTo(real, keep);
        return real;
    }

    /// <summary>A genuine SQLite file (4 KB pages, rollback journal) with a table spanning several pages.</summary>
    private byte[] RealDatabase()
    {
        var path = _scratch.PathOf("real.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE;" +
                "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);" +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) " +
                "INSERT INTO notes(body) SELECT printf('%.200c', 'x') FROM n;";
            command.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 4 * 4096, "The sample database should span several pages.");
        return bytes;
    }
}
