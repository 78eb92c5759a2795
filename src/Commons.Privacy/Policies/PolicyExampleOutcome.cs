namespace Commons.Privacy.Policies;

/// <summary>One example run: what the policy produced and whether it matched the expected output.</summary>
public sealed record PolicyExampleOutcome(PolicyExample Example, string Actual)
{
    /// <summary>True when the actual output is exactly the expected one.</summary>
    public bool Passed => Actual == Example.Expected;
}
