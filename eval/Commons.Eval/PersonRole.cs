namespace Commons.Eval;

/// <summary>How a simulated member behaves toward the pool.</summary>
public enum PersonRole
{
    /// <summary>Shares what worked and pulls insights.</summary>
    Contributor = 0,

    /// <summary>Pulls insights but never contributes.</summary>
    FreeRider = 1,

    /// <summary>Publishes wrong actions with inflated evidence.</summary>
    Poisoner = 2,
}
