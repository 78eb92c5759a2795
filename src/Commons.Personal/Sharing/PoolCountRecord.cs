namespace Commons.Personal.Sharing;

/// <summary>What one pool acknowledged or refused of this person's artifacts, and the trial reports it was sent.</summary>
public sealed record PoolCountRecord
{
    public int Delivered { get; init; }

    public int Refused { get; init; }

    public int ReportsSent { get; init; }
}
