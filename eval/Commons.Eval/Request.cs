namespace Commons.Eval;

/// <summary>One request of the data set: its text, its label (the right action), and annotated private values.</summary>
public sealed record Request(int Id, string Text, string Label, IReadOnlyList<(string Type, string Value)> Entities);
