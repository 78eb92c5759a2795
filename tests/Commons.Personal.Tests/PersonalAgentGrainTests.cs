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
}
