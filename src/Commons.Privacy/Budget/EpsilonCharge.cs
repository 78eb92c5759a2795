namespace Commons.Privacy.Budget;

/// <summary>The accountant's answer: charged (and what remains today), or refused with the reason.</summary>
public sealed record EpsilonCharge(bool Charged, decimal Remaining, string? Refusal);
