namespace Commons.Privacy.Evaluation;

/// <summary>One entity type: how many annotated values were in the input and how many survived each way.</summary>
public sealed record LeakRow(string EntityType, int Values, int SurvivedDetectorsOnly, int SurvivedWithKnown)
{
    /// <summary>Share surviving detectors + vocabulary gate alone.</summary>
    public double ShareDetectorsOnly => Values == 0 ? 0 : (double)SurvivedDetectorsOnly / Values;

    /// <summary>Share surviving with the person's known entities as well.</summary>
    public double ShareWithKnown => Values == 0 ? 0 : (double)SurvivedWithKnown / Values;
}
