namespace Commons.Eval;

/// <summary>How an arm's agents learn.</summary>
public enum ArmKind
{
    /// <summary>Similarity between the request and the label's name only; no learning.</summary>
    ZeroShot = 0,

    /// <summary>Each person's agent learns from its own person only.</summary>
    Isolated = 1,

    /// <summary>Agents also share insights through a pool and import others'.</summary>
    Community = 2,

    /// <summary>One learner sees every person's raw feedback: the upper bound.</summary>
    Centralized = 3,
}
