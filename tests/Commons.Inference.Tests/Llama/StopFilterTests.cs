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
}
