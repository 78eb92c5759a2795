namespace Commons.Abstractions.Learning;

/// <summary>Where an imported insight stands in verification.</summary>
public enum ImportDecision
{
    /// <summary>Too little of the owner's own history applies to judge it yet.</summary>
    Waiting = 0,

    /// <summary>Tried on a small, bounded share of matching turns; live outcomes decide.</summary>
    Trial = 1,

    /// <summary>Not worse than current behaviour with confidence: active, as a discounted prior.</summary>
    Adopted = 2,

    /// <summary>Worse on the owner's history, against a guard-rail, or rejected by the owner.</summary>
    Rejected = 3,

    /// <summary>Adopted, then retired when the owner's own outcomes turned against it.</summary>
    Retired = 4,
}
