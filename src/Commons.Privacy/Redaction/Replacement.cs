using Commons.Privacy.Policies;

namespace Commons.Privacy.Redaction;

/// <summary>One replacement the redactor made: the rule, where the rule is written, what was there, what is there now.</summary>
public sealed record Replacement(string RuleId, PolicyLocation RuleLocation, string Original, string Placeholder);
