namespace Commons.Eval;

/// <summary>The run's size and knobs, as given on the command line.</summary>
public sealed record RunSettings(
    int People,
    int Interactions,
    double Alpha,
    int Seed,
    int ShareEvery,
    int PoolK,
    string WorkFolder,
    string PoliciesFolder);
