using System.Text.Json;
using Commons.Inference.Llama;
using Commons.Inference.Tests.Gguf;
using Commons.Inference.Tools;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Inference.Tests.Tools;

/// <summary>
/// Every schema feature the converter supports: llama.cpp's grammar parser (through LLamaSharp)
/// accepts the grammar, and a real generation under it parses back as JSON valid against the schema.
/// </summary>
public sealed class JsonSchemaGbnfTests : IDisposable
{
    private readonly LocalModel _model = LocalModel.Load(
        TestModels.PathOf(TestModels.Stories260K),
        new ModelOptions { MaxTokens = 256, Temperature = 0, ContextSize = 512, Threads = 2 },
        NullLoggerFactory.Instance);

    public static TheoryData<string, string> Features => new()
    {
        { "string", """{"type":"object","properties":{"text":{"type":"string","maxLength":24}},"required":["text"]}""" },
        { "string-min-length", """{"type":"object","properties":{"code":{"type":"string","minLength":3,"maxLength":5}},"required":["code"]}""" },
        { "number", """{"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""" },
        { "integer", """{"type":"object","properties":{"count":{"type":"integer"}},"required":["count"]}""" },
        { "non-negative-integer", """{"type":"object","properties":{"count":{"type":"integer","minimum":0}},"required":["count"]}""" },
        { "boolean", """{"type":"object","properties":{"done":{"type":"boolean"}},"required":["done"]}""" },
        { "enum", """{"type":"object","properties":{"unit":{"type":"string","enum":["days","hours","minutes"]}},"required":["unit"]}""" },
        { "array", """{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string","maxLength":12},"maxItems":3}},"required":["tags"]}""" },
        { "array-min-items", """{"type":"object","properties":{"ids":{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":4}},"required":["ids"]}""" },
        { "required-and-optional", """{"type":"object","properties":{"title":{"type":"string","maxLength":20},"limit":{"type":"integer","default":5},"exact":{"type":"boolean"}},"required":["title"]}""" },
        { "only-optional", """{"type":"object","properties":{"from":{"type":"string","maxLength":10},"to":{"type":"string","maxLength":10}}}""" },
        { "nested-object", """{"type":"object","properties":{"event":{"type":"object","properties":{"title":{"type":"string","maxLength":16},"minutes":{"type":"integer"}},"required":["title","minutes"]}},"required":["event"]}""" },
        { "nullable", """{"type":"object","properties":{"location":{"type":["string","null"],"maxLength":16}},"required":["location"]}""" },
        { "any-of", """{"type":"object","properties":{"when":{"anyOf":[{"type":"integer"},{"type":"string","maxLength":10}]}},"required":["when"]}""" },
        { "no-parameters", """{"type":"object","properties":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Features))]
    public async Task Convert_SchemaFeature_GrammarLoadsAndConstrainsRealGeneration(string feature, string schemaJson)
    {
        var schema = JsonDocument.Parse(schemaJson).RootElement;
        var grammar = JsonSchemaGbnf.Convert(schema, maxStringLength: 32);

        AssertAcceptedByLlamaCpp(grammar);
        foreach (var seed in (uint[])[1, 2, 3])
        {
            var output = await GenerateAsync(grammar, seed);
            using var parsed = ParseOrFail(output, feature);
            var errors = JsonSchemaValidator.Validate(parsed.RootElement, schema);
            Assert.True(errors.Count == 0, $"{feature}: {output} breaks the schema: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task Build_ToolCallGrammar_ForcesAValidCallToTheNamedTool()
    {
        var grammar = ToolCallGrammar.Build(SampleTools.All, "notes_search", maxStringLength: 32);

        AssertAcceptedByLlamaCpp(grammar);
        var output = await GenerateAsync(grammar, 7);
        var result = new Llama3ToolCallParser(SampleTools.All).Parse(output);

        var call = Assert.Single(result.Calls);
        Assert.Null(call.Exception);
        Assert.Equal("notes_search", call.Name);
    }

    [Fact]
    public void Build_WrappedToolCallGrammar_IsAcceptedByLlamaCpp()
    {
        var grammar = ToolCallGrammar.Build(SampleTools.All, null, HermesToolCallParser.Open, HermesToolCallParser.Close);

        AssertAcceptedByLlamaCpp(grammar);
    }

    [Fact]
    public void AddGrammar_BrokenGrammar_IsRejected()
    {
        // Shows the acceptance check above can fail: a rule that is never defined, a broken literal.
        Assert.False(GbnfCheck.IsAccepted(_model.Weights.NativeHandle, "root ::= missing-rule\n"));
        Assert.False(GbnfCheck.IsAccepted(_model.Weights.NativeHandle, "root ::= \"unclosed\n"));
    }

    [Fact]
    public void Literal_QuotesBackslashesAndNewLines_AreEscaped()
    {
        Assert.Equal("\"say \\\"hi\\\"\\\\n\\n\"", JsonSchemaGbnf.Literal("say \"hi\"\\n\n"));
    }

    private void AssertAcceptedByLlamaCpp(string grammar)
    {
        Assert.True(GbnfCheck.IsAccepted(_model.Weights.NativeHandle, grammar), "llama.cpp rejected the grammar:\n" + grammar);
        using var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        chain.AddGrammar(_model.Weights.NativeHandle, grammar, "root");
        Assert.Equal(1, chain.Count);
    }

    private async Task<string> GenerateAsync(string grammar, uint seed)
    {
        var executor = new StatelessExecutor(_model.Weights, _model.Parameters) { ApplyTemplate = false };
        var inference = new InferenceParams
        {
            MaxTokens = 256,
            SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = seed, Grammar = new Grammar(grammar, "root") },
        };
        var text = new System.Text.StringBuilder();
        await foreach (var piece in executor.InferAsync("Once upon a time", inference))
        {
            text.Append(piece);
        }

        return text.ToString();
    }

    private static JsonDocument ParseOrFail(string output, string feature)
    {
        try
        {
            return JsonDocument.Parse(output);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"{feature}: the output is not JSON: {output} ({ex.Message})");
            throw;
        }
    }

    public void Dispose() => _model.Dispose();
}
