using Commons.Privacy.Budget;

namespace Commons.Privacy.Tests;

public sealed class EpsilonAccountantTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryCharge_BudgetSpent_IsRefusedAndStateUnchanged()
    {
        var state = new EpsilonBudgetState();
        var accountant = new EpsilonAccountant(state, _time);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(accountant.TryCharge(0.5m, 2m).Charged);
        }

        var refused = accountant.TryCharge(0.5m, 2m);

        Assert.False(refused.Charged);
        Assert.Contains("budget is spent", refused.Refusal, StringComparison.Ordinal);
        Assert.Equal(2m, state.Spent);
        Assert.Equal(4, state.Charges);
    }

    [Fact]
    public void TryCharge_NextUtcDay_StartsAFreshBudget()
    {
        var state = new EpsilonBudgetState();
        var accountant = new EpsilonAccountant(state, _time);
        Assert.True(accountant.TryCharge(2m, 2m).Charged);
        Assert.False(accountant.TryCharge(0.5m, 2m).Charged);

        _time.Now = _time.Now.AddHours(14);

        Assert.True(accountant.TryCharge(0.5m, 2m).Charged);
        Assert.Equal("2025-03-02", state.Day);
        Assert.Equal(0.5m, state.Spent);
    }

    [Theory]
    [InlineData("2025-03-01", -1)]
    [InlineData("yesterday", 0.5)]
    [InlineData("2025-03-09", 0.5)]
    [InlineData(null, 0.5)]
    public void TryCharge_DamagedState_FailsClosed(string? day, double spent)
    {
        var state = new EpsilonBudgetState { Day = day, Spent = (decimal)spent };

        var result = new EpsilonAccountant(state, _time).TryCharge(0.1m, 100m);

        Assert.False(result.Charged);
        Assert.NotNull(result.Refusal);
    }

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_KeepsTheSpending()
    {
        var path = Path.Combine(Path.GetTempPath(), $"commons-epsilon-{Guid.NewGuid():N}", "epsilon.json");
        var store = new FileEpsilonBudgetStore(path);
        var state = await store.LoadAsync(CancellationToken.None);
        new EpsilonAccountant(state, _time).TryCharge(0.5m, 2m);

        await store.SaveAsync(state, CancellationToken.None);
        var loaded = await new FileEpsilonBudgetStore(path).LoadAsync(CancellationToken.None);

        Assert.Equal(0.5m, loaded.Spent);
        Assert.Equal("2025-03-01", loaded.Day);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
