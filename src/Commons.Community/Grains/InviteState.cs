namespace Commons.Community.Grains;

/// <summary>The keys that used an invite.</summary>
public sealed class InviteState
{
    public List<string> Members { get; set; } = [];
}
