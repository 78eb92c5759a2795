using Commons.Inference.Llama;

namespace Commons.Inference.Tests.Llama;

public sealed class StopFilterTests
{
    [Fact]
    public void Push_StopSequenceSplitAcrossPieces_IsNeverShown()
    {
        var filter = new StopFilter(["<|im_end|>"]);
        var shown = "";

        foreach (var piece in new[] { "Hello", " there", "<|im", "_end|>", "ignored" })
        {
            var (text, stopped) = filter.Push(piece);
            shown += text;
            if (stopped)
            {
                break;
            }
        }

        Assert.Equal("Hello there", shown);
    }

    [Fact]
    public void Flush_NoStopSequence_ReturnsEverythingHeldBack()
    {
        var filter = new StopFilter(["<|im_end|>"]);

        var (text, stopped) = filter.Push("a<|i");

        Assert.False(stopped);
        Assert.Equal("a<|i", text + filter.Flush());
    }

    [Fact]
    public void Push_TextThatCannotStartAStopSequence_IsShownAtOnce()
    {
        var filter = new StopFilter(["<|im_end|>", "</s>"]);

        Assert.Equal(("Once", false), filter.Push("Once"));
        Assert.Equal((" upon a", false), filter.Push(" upon a"));
        // A "<" could begin either marker, so it waits; "<|" then rules out "</s>" but not "<|im_end|>".
        Assert.Equal((" time ", false), filter.Push(" time <"));
        Assert.Equal(("", false), filter.Push("|"));
        Assert.Equal(("<|x", false), filter.Push("x"));
    }
}
