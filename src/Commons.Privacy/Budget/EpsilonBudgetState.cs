namespace Commons.Privacy.Budget;

/// <summary>
/// One person's epsilon spending: the UTC day (yyyy-MM-dd) and the epsilon spent on it. Plain
/// properties so a grain can persist it as JSON.
/// </summary>
public sealed class EpsilonBudgetState
{
    /// <summary>The UTC day the spending belongs to, as yyyy-MM-dd; null before the first charge.</summary>
    public string? Day { get; set; }

    /// <summary>Epsilon spent on <see cref="Day"/>.</summary>
    public decimal Spent { get; set; }

    /// <summary>Artifacts charged on <see cref="Day"/>.</summary>
    public int Charges { get; set; }
}
