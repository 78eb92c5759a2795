using Commons.Inference.Llama;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace Commons.Inference.Tools;

/// <summary>
/// How one request that involves tools is prompted, sampled and read: decided once per request,
/// so plain chat pays nothing for tool support.
/// </summary>
internal sealed class ToolTurn
{
    private ToolTurn(List<ChatMessage> messages, ToolCallParser? parser, string? grammar)
    {
        Messages = messages;
        Parser = parser;
        Grammar = grammar;
    }

    /// <summary>The conversation rendered as plain messages with the tools advertised.</summary>
    public List<ChatMessage> Messages { get; }

    /// <summary>Reads calls out of the reply; null when no tools are on offer this time.</summary>
    public ToolCallParser? Parser { get; }

    /// <summary>The GBNF grammar that constrains the reply, if any.</summary>
    public string? Grammar { get; }

    /// <summary>Null for plain chat: no tools offered and no tool content in the conversation.</summary>
    public static ToolTurn? Plan(LocalModel model, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var tools = options?.ToolMode is NoneChatToolMode
            ? []
            : options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (tools.Count == 0 && !messages.Any(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent)))
        {
            return null;
        }

        var format = ToolFormatDetector.Detect(model);
        var required = tools.Count > 0 ? options?.ToolMode as RequiredChatToolMode : null;
        var rendered = ToolPrompt.Render(messages, format, tools, forced: required is not null);
        if (tools.Count == 0)
        {
            return new ToolTurn(rendered, null, null);
        }

        if (required is not null)
        {
            // A grammar llama.cpp would not parse would crash sampling; without one the call is still read, just not forced.
            // A forced call: the grammar admits nothing but one valid call, written as bare JSON.
            var only = required.RequiredFunctionName is { } name && tools.Any(t => t.Name == name) ? name : null;
            var forced = ToolCallGrammar.Build(tools, only);
            return new ToolTurn(rendered, new Llama3ToolCallParser(tools), Accepted(model, forced));
        }

        // Not forced: the family's own format, or for a model without one the generic Hermes-style
        // advert; a call that comes out malformed becomes a tool error. (A lazy grammar that would
        // take hold at <tool_call> crashes llama.cpp through LLamaSharp 0.30's AddLazyGrammar.)
        return new ToolTurn(rendered, ToolCallParser.For(format, tools), null);
    }

    private static string? Accepted(LocalModel model, string grammar) =>
        GbnfCheck.IsAccepted(model.Weights.NativeHandle, grammar) ? grammar : null;

    /// <summary>The sampling pipeline for this turn.</summary>
    public ISamplingPipeline Sampling(float temperature, float topP, uint seed)
    {
        return new DefaultSamplingPipeline
        {
            Temperature = temperature,
            TopP = topP,
            Seed = seed,
            Grammar = Grammar is null ? null : new Grammar(Grammar, "root"),
        };
    }
}
