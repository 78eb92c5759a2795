namespace Commons.Personal.Pools;

/// <summary>What one sync does, in this order.</summary>
[Flags]
public enum PoolSyncSteps
{
    None = 0,

    /// <summary>Run what was learned through the export pipeline (auto-approved topics go straight to the outbox).</summary>
    Prepare = 1,

    /// <summary>Send each pool its copies of approved artifacts.</summary>
    Deliver = 2,

    /// <summary>Send each pool the trial reports on insights imported from it.</summary>
    Report = 4,

    /// <summary>Stage what each pool serves for the sharing topics, then reject what it has withdrawn.</summary>
    Pull = 8,

    /// <summary>What <c>commons pool push</c> does.</summary>
    Push = Prepare | Deliver | Report,

    All = Push | Pull,
}
