namespace Commons.Privacy.Evaluation;

/// <summary>A request with its annotated entities (type, value) and the person it belongs to.</summary>
public sealed record AnnotatedRequest(string Person, string Text, IReadOnlyList<KeyValuePair<string, string>> Entities);
