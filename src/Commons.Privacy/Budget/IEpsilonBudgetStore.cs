namespace Commons.Privacy.Budget;

/// <summary>Where a person's epsilon state is kept (a grain's persistent state, or a file for the CLI).</summary>
public interface IEpsilonBudgetStore
{
    /// <summary>Reads the state; a damaged store throws, so the pipeline refuses.</summary>
    Task<EpsilonBudgetState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Persists the state; the pipeline releases noised counts only after this succeeds.</summary>
    Task SaveAsync(EpsilonBudgetState state, CancellationToken cancellationToken);
}
