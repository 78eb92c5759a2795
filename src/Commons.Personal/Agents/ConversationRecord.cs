using Commons.Abstractions.Agents;

namespace Commons.Personal.Agents;

/// <summary>One conversation as stored in grain state.</summary>
[GenerateSerializer, Alias("Commons.ConversationRecord")]
public sealed class ConversationRecord
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string Title { get; set; } = "";

    [Id(2)]
    public DateTimeOffset Started { get; set; }

    [Id(3)]
    public DateTimeOffset LastActive { get; set; }

    [Id(4)]
    public List<ChatTurn> Turns { get; set; } = [];
}
