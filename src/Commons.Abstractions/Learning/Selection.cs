namespace Commons.Abstractions.Learning;

/// <summary>The entries chosen for a situation, logged as episode <see cref="EpisodeId"/>.</summary>
[GenerateSerializer, Immutable, Alias("Commons.Selection")]
public sealed record Selection(
    [property: Id(0)] string EpisodeId,
    [property: Id(1)] IReadOnlyList<SelectedEntry> Entries);
