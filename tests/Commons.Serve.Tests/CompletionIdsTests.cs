using Commons.Abstractions.Agents;
using Commons.Serve.OpenAi;

namespace Commons.Serve.Tests;

public sealed class CompletionIdsTests
{
    [Theory]
    [InlineData("20261130-021754-abc123", 0)]
    [InlineData("my-chat", 17)]
    public void Format_ThenTryParse_GivesTheTurnBack(string conversation, int index)
    {
        var id = CompletionIds.Format(new TurnReference(conversation, index));

        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        Assert.True(CompletionIds.TryParse(id, out var turn));
        Assert.Equal(new TurnReference(conversation, index), turn);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("chatcmpl-")]
    [InlineData("chatcmpl-x-abc")]
    [InlineData("chatcmpl-3-")]
    [InlineData("chatcmpl-3-has space")]
    [InlineData("cmpl-3-abc")]
    public void TryParse_NotOneOfOurs_IsFalse(string? id) => Assert.False(CompletionIds.TryParse(id, out _));
}
