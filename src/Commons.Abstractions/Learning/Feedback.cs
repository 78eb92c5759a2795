namespace Commons.Abstractions.Learning;

/// <summary>
/// Feedback on an episode. <see cref="Correction"/> is what should have happened: the right action when
/// <see cref="CorrectsAction"/> says so (null: when the episode chose an action), else advice text.
/// </summary>
[GenerateSerializer, Immutable, Alias("Commons.Feedback")]
public sealed record Feedback(
    [property: Id(0)] FeedbackKind Kind,
    [property: Id(1)] string? Correction = null,
    [property: Id(2)] bool? CorrectsAction = null);
