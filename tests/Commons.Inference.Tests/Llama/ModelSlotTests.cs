using Commons.Inference.Llama;
using Commons.Inference.Tests.Gguf;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Llama;

/// <summary>Replacing the model of a running host: the next reply comes from the new one, a bad file changes nothing.</summary>
public sealed class ModelSlotTests : IDisposable
{
    private static readonly ModelOptions Options = new() { MaxTokens = 8, Temperature = 0, ContextSize = 256, Threads = 2 };

    private readonly ModelSlot _slot = new(Load(TestModels.PathOf(TestModels.Stories260K)), Load);

    public void Dispose() => _slot.Dispose();

    [Fact]
    public async Task SwitchAsync_OtherModel_NextReplyComesFromIt()
    {
        using var client = new SlotChatClient(_slot);
        var before = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);

        await _slot.SwitchAsync(TestModels.PathOf(TestModels.TinyRandomLlama));
        var after = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);

        Assert.Equal("stories260K", before.ModelId);
        Assert.Equal("llama-2-tiny-random", after.ModelId);
        Assert.False(string.IsNullOrWhiteSpace(after.Text));
    }

    [Fact]
    public async Task SwitchAsync_DamagedFile_FailsAndKeepsTheModelInUse()
    {
        var damaged = Path.Combine(Path.GetTempPath(), $"damaged-{Guid.NewGuid():N}.gguf");
        await File.WriteAllBytesAsync(damaged, new byte[4096]);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => _slot.SwitchAsync(damaged));
        }
        finally
        {
            File.Delete(damaged);
        }

        using var client = new SlotChatClient(_slot);
        var reply = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);
        Assert.Equal("stories260K", reply.ModelId);
        Assert.False(string.IsNullOrWhiteSpace(reply.Text));
    }

    private static LocalModel Load(string path) => LocalModel.Load(path, Options, NullLoggerFactory.Instance);
}
