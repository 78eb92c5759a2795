namespace Commons.Abstractions.Learning;

/// <summary>What the owner said about a reply or action.</summary>
public enum FeedbackKind
{
    /// <summary><c>/good</c>: reward 1.</summary>
    Good = 0,

    /// <summary><c>/bad</c>: reward 0.</summary>
    Bad = 1,

    /// <summary><c>/fix TEXT</c>: reward 0, and the correction becomes an entry.</summary>
    Fix = 2,

    /// <summary>The owner restated the same request right away: reward 0, weaker than <c>/bad</c>.</summary>
    Restated = 3,
}
