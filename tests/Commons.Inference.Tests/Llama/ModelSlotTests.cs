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
    public async Task RentAsync_OtherModel_NextReplyComesFromIt()
    {
        using var client = new SlotChatClient(_slot);
        var before = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);

        (await _slot.RentAsync(TestModels.PathOf(TestModels.TinyRandomLlama))).Dispose();
        var after = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);

        Assert.Equal("stories260K", before.ModelId);
        Assert.Equal("llama-2-tiny-random", after.ModelId);
        Assert.False(string.IsNullOrWhiteSpace(after.Text));
    }

    [Fact]
    public async Task RentAsync_DamagedFile_FailsAndKeepsTheModelInUse()
    {
        var damaged = Path.Combine(Path.GetTempPath(), $"damaged-{Guid.NewGuid():N}.gguf");
        await File.WriteAllBytesAsync(damaged, new byte[4096]);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => _slot.RentAsync(damaged));
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

    [Fact]
    public async Task Rent_SwitchWhileAReplyHoldsTheModel_TheReplyFinishesWithItAndTheNextUsesTheNewOne()
    {
        using var held = _slot.Rent();

        (await _slot.RentAsync(TestModels.PathOf(TestModels.TinyRandomLlama))).Dispose();
        var during = await new LlamaChatClient(held.Model).GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);
        using var client = new SlotChatClient(_slot);
        var after = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")]);

        Assert.Equal("stories260K", held.Name);
        Assert.False(string.IsNullOrWhiteSpace(during.Text));
        Assert.Equal("llama-2-tiny-random", after.ModelId);
    }

    [Fact]
    public async Task Rent_ModelIdNamesAModelARequestStillHolds_TheReplyComesFromThatModel()
    {
        using var picked = _slot.Rent();
        (await _slot.RentAsync(TestModels.PathOf(TestModels.TinyRandomLlama))).Dispose();
        using var client = new SlotChatClient(_slot);

        var reply = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")], new ChatOptions { ModelId = picked.Model.FilePath });

        Assert.Equal("stories260K", reply.ModelId);
    }

    [Fact]
    public async Task RentAsync_ModelAReplyStillHolds_IsPutBackInUseWithoutLoadingItAgain()
    {
        var loads = 0;
        using var slot = new ModelSlot(Load(TestModels.PathOf(TestModels.Stories260K)), path =>
        {
            Interlocked.Increment(ref loads);
            return Load(path);
        });
        using var first = slot.Rent();
        (await slot.RentAsync(TestModels.PathOf(TestModels.TinyRandomLlama))).Dispose();

        using var again = await slot.RentAsync(TestModels.PathOf(TestModels.Stories260K));

        Assert.Same(first.Model, again.Model);
        Assert.Same(first.Model, slot.Current);
        Assert.Equal(1, loads);
    }

    private static LocalModel Load(string path) => LocalModel.Load(path, Options, NullLoggerFactory.Instance);
}
