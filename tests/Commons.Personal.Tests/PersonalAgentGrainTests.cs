using Microsoft.Extensions.DependencyInjection;
using Commons.Personal.Hosting;

namespace Commons.Personal.Tests;

public sealed class PersonalAgentGrainTests
{
    private static Dictionary<string, string?> Settings(int maxTokens = 24) => new()
    {
        ["Model:Path"] = SharedFiles.StoriesModel,
        ["Model:MaxTokens"] = maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Model:Temperature"] = "0",
    };

    [Fact]
    public async Task ChatAsync_Message_StreamsGeneratedReplyAndRecordsTokens()
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings());

        var pieces = new List<string>();
        await foreach (var piece in silo.Agent.ChatAsync("Once upon a time"))
        {
            pieces.Add(piece);
        }

        Assert.True(pieces.Count > 1, "the reply should arrive in several pieces, as it is generated");
        var turns = await silo.Agent.GetCurrentTurnsAsync();
        var turn = Assert.Single(turns);
        Assert.Equal("Once upon a time", turn.UserMessage);
        Assert.Equal(string.Concat(pieces), turn.Reply);
        Assert.False(turn.Interrupted);
        Assert.InRange(turn.ReplyTokens, 1, 24);
    }

    [Fact]
    public async Task ChatAsync_SiloRestarted_ConversationContinuesFromSqlite()
    {
        using var temp = new TempHome();
        string firstReply;
        await using (var silo = await PersonalSilo.StartAsync(temp.Home, Settings()))
        {
            firstReply = await ReplyAsync(silo, "Lily had a red ball");
        }

        await using (var silo = await PersonalSilo.StartAsync(temp.Home, Settings()))
        {
            var turns = await silo.Agent.GetCurrentTurnsAsync();
            var turn = Assert.Single(turns);
            Assert.Equal("Lily had a red ball", turn.UserMessage);
            Assert.Equal(firstReply, turn.Reply);

            await ReplyAsync(silo, "Then she went home");
            var conversations = await silo.Agent.ListConversationsAsync();
            var conversation = Assert.Single(conversations);
            Assert.Equal(2, conversation.TurnCount);
            Assert.Equal("Lily had a red ball", conversation.Title);
        }
    }

    [Fact]
    public async Task NewConversationAsync_AfterTurns_StartsEmptyAndKeepsTheOldOne()
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings());
        await ReplyAsync(silo, "first conversation");

        var fresh = await silo.Agent.NewConversationAsync();

        Assert.Empty(await silo.Agent.GetCurrentTurnsAsync());
        var all = await silo.Agent.ListConversationsAsync();
        Assert.Equal(2, all.Count);
        Assert.True(all[1].IsCurrent);
        Assert.Equal(fresh.Id, all[1].Id);
        Assert.True(await silo.Agent.OpenConversationAsync(all[0].Id));
        Assert.Equal("first conversation", Assert.Single(await silo.Agent.GetCurrentTurnsAsync()).UserMessage);
        Assert.False(await silo.Agent.OpenConversationAsync("no-such-conversation"));
    }

    [Fact]
    public async Task ChatAsync_CancelledMidReply_TurnKeptAsInterruptedAndChatContinues()
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings(maxTokens: 400));
        using var cancel = new CancellationTokenSource();
        var shown = new System.Text.StringBuilder();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var piece in silo.Agent.ChatAsync("Tell me a story", cancel.Token))
            {
                shown.Append(piece);
                cancel.Cancel();
            }
        });

        var interrupted = Assert.Single(await silo.Agent.GetCurrentTurnsAsync());
        Assert.True(interrupted.Interrupted);
        Assert.Equal("Tell me a story", interrupted.UserMessage);
        Assert.StartsWith(shown.ToString(), interrupted.Reply, StringComparison.Ordinal);
        Assert.True(interrupted.ReplyTokens < 400);

        await ReplyAsync(silo, "And then?");
        var turns = await silo.Agent.GetCurrentTurnsAsync();
        Assert.Equal(2, turns.Count);
        Assert.False(turns[1].Interrupted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KeepShownReplyAsync_StoppedReply_TurnKeepsOnlyWhatWasShown(bool beforeTheStreamEnds)
    {
        using var temp = new TempHome();
        await using var silo = await PersonalSilo.StartAsync(temp.Home, Settings(maxTokens: 400));
        using var cancel = new CancellationTokenSource();
        var made = new System.Text.StringBuilder();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var piece in silo.Agent.ChatAsync("Tell me a story", cancel.Token))
            {
                made.Append(piece);
                if (made.Length > 6)
                {
                    if (beforeTheStreamEnds)
                    {
                        await silo.Agent.KeepShownReplyAsync(made.ToString()[..3]);
                    }

                    cancel.Cancel();
                }
            }
        });
        if (!beforeTheStreamEnds)
        {
            await silo.Agent.KeepShownReplyAsync(made.ToString()[..3]);
        }

        var turn = Assert.Single(await silo.Agent.GetCurrentTurnsAsync());
        Assert.Equal(made.ToString()[..3], turn.Reply);
        Assert.True(turn.Interrupted);
    }

    [Fact]
    public async Task FeedbackAsync_ReflectionDue_AnswersBeforeReflectionEndsAndItsChangeIsSavedAfter()
    {
        using var temp = new TempHome();
        var model = new GatedReflectionModel("ADD: the owner asks what to cook => ask about allergies first");
        var settings = Settings();
        settings["Playbook:ReflectEvery"] = "1";
        var silo = await PersonalSilo.StartAsync(temp.Home, settings,
            configureSilo: s => s.Services.AddSingleton<Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService>(model));
        try
        {
            await ReplyAsync(silo, "What should I cook tonight?");

            var outcome = await silo.Agent.FeedbackAsync(new Commons.Abstractions.Learning.Feedback(Commons.Abstractions.Learning.FeedbackKind.Good));

            // The acknowledgement came back while the model had not yet answered the reflection.
            Assert.True(outcome.Applied && outcome.ReflectionDue);
            await model.ReflectionStarted.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(model.ReflectionAnswered);
            // The chat goes on meanwhile.
            await ReplyAsync(silo, "And for dessert?");
        }
        finally
        {
            // The person leaves while the reflection still runs; it answers only then.
            var leaving = silo.DisposeAsync().AsTask();
            await Task.Delay(200);
            model.Release();
            await leaving;
        }

        // Leaving the chat waited for the reflection: its entry is in the playbook on disk.
        await using (var again = await PersonalSilo.StartAsync(temp.Home, Settings(), loadModel: false))
        {
            var entries = await again.Playbook.ListEntriesAsync(includeRetired: false);
            Assert.Contains(entries, e => e.Advice == "ask about allergies first" && e.Origin == Commons.Abstractions.Learning.EntryOrigin.Reflection);
        }
    }

    [Fact]
    public async Task ChatAsync_LearningOff_ReplyRecordedButNoEpisodeAndFeedbackHasNothingToAct()
    {
        using var temp = new TempHome();
        var settings = Settings();
        settings["Agent:Learning"] = "false";
        await using var silo = await PersonalSilo.StartAsync(temp.Home, settings);

        var reply = await ReplyAsync(silo, "Once upon a time");

        var turn = Assert.Single(await silo.Agent.GetCurrentTurnsAsync());
        Assert.Equal(reply, turn.Reply);
        Assert.Null(turn.EpisodeId);
        var playbook = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<Commons.Abstractions.Learning.IPlaybookGrain>(
            silo.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Commons.Personal.Agents.AgentOptions>>().Value.UserId);
        Assert.Empty(await playbook.GetEpisodesAsync(10));
        var outcome = await silo.Agent.FeedbackAsync(new Commons.Abstractions.Learning.Feedback(Commons.Abstractions.Learning.FeedbackKind.Good));
        Assert.False(outcome.Applied);
    }

    private static async Task<string> ReplyAsync(PersonalSilo silo, string message)
    {
        var reply = new System.Text.StringBuilder();
        await foreach (var piece in silo.Agent.ChatAsync(message))
        {
            reply.Append(piece);
        }

        return reply.ToString();
    }
}
