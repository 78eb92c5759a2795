namespace Commons.Privacy.Policies;

/// <summary>The rules of <c>redaction.yaml</c>, applied in order: detectors, known entities, vocabulary gate.</summary>
public sealed record RedactionPolicy(
    IReadOnlyList<DetectorRule> Detectors,
    KnownEntitiesRule KnownEntities,
    VocabularyRule Vocabulary);
