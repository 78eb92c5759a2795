using System.Text.Json;
using Commons.Tools.Approval;
using Commons.Tools.Plugins;
using Commons.Tools.Policy;
using Commons.Tools.Storage;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using SkFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace Commons.Tools.Tests;

/// <summary>The tiny model, forced by a generated grammar, calls real plugins through the Kernel.</summary>
public sealed class EndToEndToolTests : IDisposable
{
    private readonly TestFiles _files = new();
    private readonly ToolsDatabase _database;
    private readonly NotesPlugin _notes;

    public EndToEndToolTests()
    {
        _database = new ToolsDatabase(_files.PathOf("tools.db"));
        _notes = new NotesPlugin(_database, new PersonClock(TimeProvider.System, TimeZoneInfo.Utc));
    }

    [Fact]
    public async Task Chat_ForcedNotesSearch_KernelRunsPluginOnSqliteAndAnswers()
    {
        foreach (var text in (string[])["Buy milk and bread", "Tim likes the red ball", "The cat sat in the sun", "Call the dentist on Monday"])
        {
            await _notes.AddAsync(text);
        }

        var interaction = new ToolInteraction();
        var recorder = new RecordingInteraction(approve: false);
        using var attached = interaction.Attach(recorder, recorder);
        var policy = ToolPolicyLoader.Parse("version: 1\ntools:\n  allow: [notes_search]\n", "test");
        using var host = new KernelWithModel(policy, interaction, KernelPluginFactory.CreateFromObject(_notes, NotesPlugin.PluginName));
        var search = host.Kernel.Plugins[NotesPlugin.PluginName]["search"];
        var history = new ChatHistory("You answer from the person's notes.");
        history.AddUserMessage("What did I write about the ball?");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required([search]) };

        var reply = await host.Chat.GetChatMessageContentAsync(history, settings, host.Kernel);

        // The model's call, as advertised, reached the plugin through the guard and ran against SQLite.
        var ran = Assert.Single(recorder.Finished);
        Assert.Equal("notes_search", ran.Request.ToolName);
        Assert.True(ran.Status == ToolCallStatus.Succeeded, ran.Result + " args " + ran.Request.ArgumentsJson);
        Assert.Empty(recorder.Asked);
        var query = JsonDocument.Parse(ran.Request.ArgumentsJson).RootElement.GetProperty("query").GetString()!;
        var expected = await _notes.SearchAsync(query);
        Assert.Equal(JsonSerializer.Serialize(expected), ran.Result);

        // Semantic Kernel recorded the call and its result in the history, and the model answered after it.
        var call = Assert.Single(history.SelectMany(m => m.Items).OfType<SkFunctionCallContent>());
        Assert.Equal("notes_search", call.PluginName is null ? call.FunctionName : $"{call.PluginName}_{call.FunctionName}");
        Assert.Single(history.SelectMany(m => m.Items).OfType<SkFunctionResultContent>());
        Assert.Equal(AuthorRole.Assistant, reply.Role);
        Assert.False(string.IsNullOrWhiteSpace(reply.Content));
    }

    [Fact]
    public async Task Chat_WriteToolDenied_WaitsForApprovalAndChangesNothingOnDisk()
    {
        await _notes.ListAsync(); // the schema exists before the snapshot
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = Snapshot();
        var interaction = new ToolInteraction();
        var recorder = new RecordingInteraction(approve: false);
        using var attached = interaction.Attach(recorder, recorder);
        var policy = ToolPolicyLoader.Parse("version: 1\ntools:\n  allow: [notes_search]\n  confirm: [notes_add, notes_delete]\n", "test");
        using var host = new KernelWithModel(policy, interaction, KernelPluginFactory.CreateFromObject(_notes, NotesPlugin.PluginName));
        var add = host.Kernel.Plugins[NotesPlugin.PluginName]["add"];
        var history = new ChatHistory("You keep the person's notes.");
        history.AddUserMessage("Note that the cat is happy.");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required([add]) };

        var reply = await host.Chat.GetChatMessageContentAsync(history, settings, host.Kernel);

        var asked = Assert.Single(recorder.Asked);
        Assert.Equal("notes_add", asked.ToolName);
        Assert.True(asked.NeedsApproval);
        Assert.Empty(recorder.Started);
        var outcome = Assert.Single(recorder.Finished);
        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        var result = Assert.Single(history.SelectMany(m => m.Items).OfType<SkFunctionResultContent>());
        Assert.Contains("declined", result.Result?.ToString(), StringComparison.Ordinal);
        Assert.NotNull(reply);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
        Assert.Empty(await _notes.ListAsync());
    }

    [Fact]
    public async Task Chat_WriteToolApproved_RunsAndSavesTheNote()
    {
        var interaction = new ToolInteraction();
        var recorder = new RecordingInteraction(approve: true);
        using var attached = interaction.Attach(recorder, recorder);
        var policy = ToolPolicyLoader.Parse("version: 1\ntools:\n  confirm: [notes_add]\n", "test");
        using var host = new KernelWithModel(policy, interaction, KernelPluginFactory.CreateFromObject(_notes, NotesPlugin.PluginName));
        var add = host.Kernel.Plugins[NotesPlugin.PluginName]["add"];
        var history = new ChatHistory("You keep the person's notes.");
        history.AddUserMessage("Note that the cat is happy.");
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required([add]) };

        await host.Chat.GetChatMessageContentAsync(history, settings, host.Kernel);

        Assert.Single(recorder.Asked);
        var outcome = Assert.Single(recorder.Finished);
        Assert.True(outcome.Status == ToolCallStatus.Succeeded, outcome.Result);
        Assert.Single(await _notes.ListAsync());
    }

    private Dictionary<string, string> Snapshot() => Directory.EnumerateFiles(_files.Root)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    public void Dispose() => _files.Dispose();
}
