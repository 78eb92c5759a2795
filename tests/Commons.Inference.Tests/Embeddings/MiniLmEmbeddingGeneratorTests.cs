using Commons.Inference.Embeddings;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tests.Embeddings;

public sealed class MiniLmEmbeddingGeneratorTests
{
    private static readonly string[] Sentences =
    [
        "who's that song by?", "wake me up at seven", "what is the weather like in paris", "order a pizza for dinner",
        "send an email to my boss", "turn off the kitchen lights", "how many calories in an apple", "play some jazz",
        "what's on my calendar tomorrow", "book a taxi to the airport", "read me the news", "set a timer for ten minutes",
        "tell me a joke", "what is the capital of peru", "remind me to call mum", "how do I get to the station",
        "is it going to rain", "stop the music", "add milk to the shopping list", "what time is it in tokyo",
    ];

    [Fact]
    public async Task GenerateAsync_SmallCallThenLargeBatch_GivesTheSameVectorsAsOneByOne()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        await generator.GenerateAsync(["a short warm-up", "another one", "and a third sentence here"]);

        var batched = await generator.GenerateAsync(Sentences);
        var single = new List<Embedding<float>>();
        foreach (var sentence in Sentences)
        {
            single.Add((await generator.GenerateAsync([sentence]))[0]);
        }

        for (var i = 0; i < Sentences.Length; i++)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(batched[i].Vector.Span, single[i].Vector.Span);
            Assert.True(cosine > 0.99, $"sentence {i} ('{Sentences[i]}'): batched and single differ, cosine {cosine:F3}");
        }
    }

    [Fact]
    public async Task Dispose_WhileBatchesAreEncoded_WaitsForTheRunningOne_AndLaterBatchesAreRefused()
    {
        // A pool silo that stops while it groups frees the model while texts are being encoded: that
        // crashed the whole process (SIGSEGV) when the ONNX session was freed under a running batch.
        var generator = new MiniLmEmbeddingGenerator();
        generator.Load();
        var texts = Enumerable.Range(0, 2000).Select(i => $"{Sentences[i % Sentences.Length]} number {i}").ToList();
        var encoding = Task.Run(() => generator.GenerateAsync(texts));
        await Task.Delay(300);

        generator.Dispose();
        var refused = await Record.ExceptionAsync(() => encoding);

        Assert.IsType<ObjectDisposedException>(refused);
    }
}
