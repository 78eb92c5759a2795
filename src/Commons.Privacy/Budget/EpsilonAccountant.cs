using System.Globalization;

namespace Commons.Privacy.Budget;

/// <summary>
/// Enforces a person's daily epsilon budget (per UTC day) over an <see cref="EpsilonBudgetState"/>.
/// It refuses once the budget would be exceeded, and fails closed: a state it cannot make sense of
/// (negative spending, an unreadable or future day) refuses every charge.
/// </summary>
public sealed class EpsilonAccountant(EpsilonBudgetState state, TimeProvider time)
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>The state this accountant reads and changes (persist it after a charge).</summary>
    public EpsilonBudgetState State { get; } = state ?? throw new ArgumentNullException(nameof(state));

    /// <summary>Epsilon left today under the given daily budget (0 when the state is not usable).</summary>
    public decimal Remaining(decimal dailyBudget) => Check(out var spentToday) is null ? Math.Max(0, dailyBudget - spentToday) : 0;

    /// <summary>Charges epsilon against today's budget, or refuses and leaves the state unchanged.</summary>
    public EpsilonCharge TryCharge(decimal epsilon, decimal dailyBudget)
    {
        if (epsilon <= 0)
        {
            return new(false, 0, "the epsilon to spend must be positive");
        }

        if (Check(out var spentToday) is { } problem)
        {
            return new(false, 0, problem);
        }

        var remaining = dailyBudget - spentToday;
        if (epsilon > remaining)
        {
            return new(false, Math.Max(0, remaining), string.Create(CultureInfo.InvariantCulture,
                $"today's epsilon budget is spent ({spentToday} of {dailyBudget} used; this artifact needs {epsilon}); sharing resumes after midnight UTC"));
        }

        var today = Today();
        if (State.Day != today)
        {
            State.Day = today;
            State.Spent = 0;
            State.Charges = 0;
        }

        State.Spent += epsilon;
        State.Charges++;
        return new(true, dailyBudget - State.Spent, null);
    }

    private string? Check(out decimal spentToday)
    {
        spentToday = 0;
        if (State.Spent < 0 || State.Charges < 0)
        {
            return "the epsilon ledger is damaged (negative spending)";
        }

        if (State.Day is null)
        {
            return State.Spent == 0 ? null : "the epsilon ledger is damaged (spending without a day)";
        }

        if (!DateOnly.TryParseExact(State.Day, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return "the epsilon ledger is damaged (unreadable day)";
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (day > today)
        {
            return "the epsilon ledger has a day in the future; the clock may have moved back";
        }

        spentToday = day == today ? State.Spent : 0;
        return null;
    }

    private string Today() => time.GetUtcNow().UtcDateTime.ToString(DayFormat, CultureInfo.InvariantCulture);
}
