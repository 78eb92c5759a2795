namespace Commons.Eval;

/// <summary>Simulated time: each sharing round is a day, so daily epsilon budgets renew as they would.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
