namespace Commons.Inference.Gguf;

/// <summary>
/// Stands in the metadata for an array whose content was skipped (numbers, or a long list of
/// strings such as the tokenizer vocabulary): only its element type and length are kept.
/// </summary>
public sealed record GgufArraySummary(GgufValueType ElementType, long Count);
