using Commons.Privacy.Budget;

namespace Commons.Eval;

/// <summary>A simulated person's epsilon ledger, kept in memory for the run.</summary>
public sealed class MemoryBudgetStore : IEpsilonBudgetStore
{
    private EpsilonBudgetState _state = new();

    public Task<EpsilonBudgetState> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(_state);

    public Task SaveAsync(EpsilonBudgetState state, CancellationToken cancellationToken)
    {
        _state = state;
        return Task.CompletedTask;
    }
}
