namespace Commons.Privacy.Policies;

/// <summary>One problem found while loading a policy file.</summary>
public sealed record PolicyError(PolicyLocation Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Message}";
}
