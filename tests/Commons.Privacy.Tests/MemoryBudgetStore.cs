using Commons.Privacy.Budget;

namespace Commons.Privacy.Tests;

internal sealed class MemoryBudgetStore : IEpsilonBudgetStore
{
    public EpsilonBudgetState State { get; set; } = new();

    public int Saves { get; private set; }

    public Task<EpsilonBudgetState> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(State);

    public Task SaveAsync(EpsilonBudgetState state, CancellationToken cancellationToken)
    {
        State = state;
        Saves++;
        return Task.CompletedTask;
    }
}
