namespace Commons.Abstractions.Learning;

/// <summary>What feedback did: whether it applied, which entry it created or strengthened, whether reflection is due.</summary>
[GenerateSerializer, Immutable, Alias("Commons.FeedbackOutcome")]
public sealed record FeedbackOutcome(
    [property: Id(0)] bool Applied,
    [property: Id(1)] string? EntryId,
    [property: Id(2)] bool ReflectionDue);
