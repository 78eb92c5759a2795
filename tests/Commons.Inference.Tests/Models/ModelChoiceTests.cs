using Commons.Inference.Llama;
using Commons.Inference.Models;
using Commons.Inference.Tests.Gguf;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Models;

/// <summary>The model choice of a running host: the installed models it offers, and the name of the one in use.</summary>
public sealed class ModelChoiceTests : IDisposable
{
    private static readonly ModelOptions Options = new() { MaxTokens = 8, Temperature = 0, ContextSize = 256, Threads = 2 };

    private readonly TempModelsFolder _folder = new();
    private readonly ManualTime _time = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Names_ModelInstalledWhileRunning_OfferedOnceTheListingLifetimeHasPassed()
    {
        File.CreateSymbolicLink(_folder.PathOf(TestModels.Stories260K), TestModels.PathOf(TestModels.Stories260K));
        var store = new ModelStore(_folder.FullPath, ModelCatalog.LoadEmbedded());
        using var slot = new ModelSlot(Load(_folder.PathOf(TestModels.Stories260K)), Load, store.NameOf);
        var choice = new ModelChoice(store, slot, _time);
        Assert.Equal(["stories260K"], choice.Names());

        File.CreateSymbolicLink(_folder.PathOf(TestModels.TinyRandomLlama), TestModels.PathOf(TestModels.TinyRandomLlama));
        var soon = choice.Names();
        _time.Advance(ModelChoice.ListingLifetime);
        var later = choice.Names();

        // Within the lifetime the folder is not looked at again: every API request asks for the names.
        Assert.Equal(["stories260K"], soon);
        Assert.Equal(["llama-2-tiny-random", "stories260K"], later);
    }

    [Fact]
    public async Task RentAsync_InstalledName_LeaseNamedAfterItWhileTheNameInUseFollowsTheSwitch()
    {
        File.CreateSymbolicLink(_folder.PathOf(TestModels.Stories260K), TestModels.PathOf(TestModels.Stories260K));
        File.CreateSymbolicLink(_folder.PathOf(TestModels.TinyRandomLlama), TestModels.PathOf(TestModels.TinyRandomLlama));
        var store = new ModelStore(_folder.FullPath, ModelCatalog.LoadEmbedded());
        using var slot = new ModelSlot(Load(_folder.PathOf(TestModels.Stories260K)), Load, store.NameOf);
        var choice = new ModelChoice(store, slot, _time);

        using var stories = await choice.RentAsync(null);
        using var tiny = await choice.RentAsync("llama-2-tiny-random.gguf");

        Assert.Equal("stories260K", stories.Name);
        Assert.Equal("llama-2-tiny-random", tiny.Name);
        Assert.Equal("llama-2-tiny-random", choice.Current);
        await Assert.ThrowsAsync<ModelNotInstalledException>(() => choice.RentAsync("no-such-model"));
    }

    private static LocalModel Load(string path) => LocalModel.Load(path, Options, NullLoggerFactory.Instance);

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
