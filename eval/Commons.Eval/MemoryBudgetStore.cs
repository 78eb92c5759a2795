using Commons.Privacy.Budget;

namespace Commons.Eval;

/// <summary>A simulated person's epsilon ledger, kept in memory for the run, with the epsilon spent in all.</summary>
public sealed class MemoryBudgetStore : IEpsilonBudgetStore
{
    private EpsilonBudgetState _state = new();

    /// <summary>Everything charged since the run began, across days.</summary>
    public decimal TotalSpent { get; private set; }

    public Task<EpsilonBudgetState> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new EpsilonBudgetState { Day = _state.Day, Spent = _state.Spent, Charges = _state.Charges });

    public Task SaveAsync(EpsilonBudgetState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        TotalSpent += state.Day == _state.Day ? state.Spent - _state.Spent : state.Spent;
        _state = state;
        return Task.CompletedTask;
    }
}
