namespace Commons.Personal.Agents;

/// <summary>Token count of a reply, written by the generation pump and read by the grain once it has finished.</summary>
internal sealed class TurnUsage
{
    public int Tokens { get; set; }
}
