using System.Text.RegularExpressions;

namespace Commons.Privacy.Policies;

/// <summary>A redaction detector: a pattern, a validator in code, and the placeholder that replaces a match.</summary>
public sealed record DetectorRule(
    string Id,
    string Description,
    Regex Pattern,
    DetectorValidator Validator,
    string Replacement,
    PolicyLocation Location,
    IReadOnlyList<PolicyExample> Examples);
