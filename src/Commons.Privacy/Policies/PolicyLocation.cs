namespace Commons.Privacy.Policies;

/// <summary>Where something sits in a policy file (1-based line and column), for messages.</summary>
public sealed record PolicyLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}
