using Commons.Abstractions.Pools;
using Orleans.Placement;

namespace Commons.Community.Grains;

/// <summary>A slice of a topic's durable log; see <see cref="IArtifactSegmentGrain"/>.</summary>
[PreferLocalPlacement]
public sealed class ArtifactSegmentGrain(
    [PersistentState("segment", PoolStorageNames.Pool)] IPersistentState<ArtifactSegmentState> state) : Grain, IArtifactSegmentGrain
{
    public async Task AppendAsync(IReadOnlyList<StoredArtifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        if (artifacts.Count == 0)
        {
            return;
        }

        var items = state.State.Items;
        if (items.Count > 0 && artifacts[0].Sequence != items[^1].Sequence + 1)
        {
            // The writer's view of the log is not this segment's: make both reload rather than guess.
            DeactivateOnIdle();
            throw new InvalidOperationException($"Segment {this.GetPrimaryKeyString()} ends at {items[^1].Sequence}; an append must start at {items[^1].Sequence + 1}, not {artifacts[0].Sequence}.");
        }

        var before = items.Count;
        items.AddRange(artifacts);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            items.RemoveRange(before, items.Count - before);
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<IReadOnlyList<StoredArtifact>> ReadAsync() =>
        Task.FromResult<IReadOnlyList<StoredArtifact>>(state.State.Items.ToList());
}
