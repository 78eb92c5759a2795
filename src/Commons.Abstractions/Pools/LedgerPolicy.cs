namespace Commons.Abstractions.Pools;

/// <summary>The pool policy's reciprocity terms, as a contributor's ledger applies them.</summary>
[GenerateSerializer, Immutable, Alias("Commons.LedgerPolicy")]
public sealed record LedgerPolicy(
    [property: Id(0)] int CreditPerContribution,
    [property: Id(1)] int ReadCost,
    [property: Id(2)] int FreeReadsPerDay);
