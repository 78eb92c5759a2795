namespace Commons.Abstractions.Learning;

/// <summary>Feedback on an episode. <see cref="Correction"/> is what should have happened (advice text, or the right action).</summary>
[GenerateSerializer, Immutable, Alias("Commons.Feedback")]
public sealed record Feedback(
    [property: Id(0)] FeedbackKind Kind,
    [property: Id(1)] string? Correction = null);
