namespace Commons.Eval;

/// <summary>A simulated person: their private requests in the order they will make them, and their role.</summary>
public sealed record Person(int Index, IReadOnlyList<Request> Requests, PersonRole Role, string? Canary)
{
    public string Id => "p" + Index.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Entity values in this person's own requests: what their agent knows as theirs.</summary>
    public IEnumerable<(string Type, string Value)> KnownEntities => Requests.SelectMany(r => r.Entities);
}
