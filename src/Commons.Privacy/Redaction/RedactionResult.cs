namespace Commons.Privacy.Redaction;

/// <summary>The redacted text (exactly what would leave) and every replacement made, in order.</summary>
public sealed record RedactionResult(string Text, IReadOnlyList<Replacement> Replacements);
