namespace Commons.Eval;

/// <summary>One arm of the benchmark.</summary>
public sealed record ArmSpec(
    string Name,
    ArmKind Kind,
    bool Corrections,
    double Epsilon = 0,
    double PoisonerShare = 0,
    double FreeRiderShare = 0,
    bool Verify = true);
