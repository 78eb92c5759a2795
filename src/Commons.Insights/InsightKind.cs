namespace Commons.Insights;

/// <summary>What an insight artifact says: advice, a situation → action pattern, or an outcome report.</summary>
public enum InsightKind
{
    /// <summary><c>playbook</c>: advice for a situation.</summary>
    Playbook,

    /// <summary><c>pattern</c>: a situation → action that worked.</summary>
    Pattern,

    /// <summary><c>outcome</c>: a report on an imported insight.</summary>
    Outcome,
}
