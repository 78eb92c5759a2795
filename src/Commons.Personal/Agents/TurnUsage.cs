using Microsoft.Extensions.AI;

namespace Commons.Personal.Agents;

/// <summary>What a reply cost and how it ended, written by the generation pump and read by the grain once it has finished.</summary>
internal sealed class TurnUsage
{
    public int Tokens { get; set; }

    public int PromptTokens { get; set; }

    public int ClientToolCalls { get; set; }

    public ChatFinishReason? Finish { get; set; }

    /// <summary>OpenAI's name for how the turn ended.</summary>
    public string FinishReason =>
        ClientToolCalls > 0 ? "tool_calls" : Finish == ChatFinishReason.Length ? "length" : "stop";
}
