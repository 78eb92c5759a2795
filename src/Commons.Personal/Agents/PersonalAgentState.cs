namespace Commons.Personal.Agents;

/// <summary>What the personal agent keeps between runs: its conversations.</summary>
[GenerateSerializer, Alias("Commons.PersonalAgentState")]
public sealed class PersonalAgentState
{
    [Id(0)]
    public List<ConversationRecord> Conversations { get; set; } = [];

    [Id(1)]
    public string? CurrentConversationId { get; set; }
}
