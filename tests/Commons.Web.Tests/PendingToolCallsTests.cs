using Commons.Tools.Approval;

namespace Commons.Web.Tests;

/// <summary>A tool call that needs a yes waits for the page only while a page is open, and never runs without an answer.</summary>
public sealed class PendingToolCallsTests
{
    private static readonly ToolCallRequest AddNote = new("notes_add", """{"title":"cat","body":"happy"}""", NeedsApproval: true);

    [Fact]
    public async Task ApproveAsync_NoPageOpen_RefusedAtOnce()
    {
        var calls = new PendingToolCalls(TimeProvider.System);

        Assert.False(await calls.ApproveAsync(AddNote, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(calls.Waiting);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ApproveAsync_PageAnswers_TheAnswerDecides(bool allow)
    {
        var calls = new PendingToolCalls(TimeProvider.System);
        calls.PageSeen();

        var asking = calls.ApproveAsync(AddNote, CancellationToken.None);
        var waiting = Assert.Single(calls.Waiting);
        Assert.Equal("notes_add", waiting.Tool);
        Assert.Equal(AddNote.ArgumentsJson, waiting.Arguments);
        Assert.False(asking.IsCompleted);

        Assert.True(calls.Answer(waiting.Id, allow));
        Assert.Equal(allow, await asking.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(calls.Waiting);
        Assert.False(calls.Answer(waiting.Id, true));
    }

    [Fact]
    public async Task ApproveAsync_NobodyAnswers_RefusedAfterTheWait()
    {
        var calls = new PendingToolCalls(TimeProvider.System) { AnswerWithin = TimeSpan.FromMilliseconds(200) };
        calls.PageSeen();

        Assert.False(await calls.ApproveAsync(AddNote, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(calls.Waiting);
    }
}
