using Commons.Abstractions.Learning;

namespace Commons.Learning;

/// <summary>What feedback changed: whether it applied, the entry it created or merged into, and whether reflection is due.</summary>
public sealed record FeedbackResult(bool Applied, PlaybookEntry? Entry, bool ReflectionDue);
