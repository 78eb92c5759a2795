using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Microsoft.Extensions.Logging;

namespace Commons.Community.Grains;

/// <summary>
/// Grouping: each new text placed in the group whose founder says the same thing (by MiniLM embedding, or
/// where it was placed before this activation), or founding one.
/// </summary>
public sealed partial class InsightPoolGrain
{
    /// <summary>
    /// Groups what is waiting, one grouping at a time: the running one if there is one, else a new one
    /// when artifacts wait (a finished or failed grouping is never waited on again).
    /// </summary>
    private Task EnsureGroupedAsync() =>
        _grouping is { IsCompleted: false } ? _grouping
        : _ungrouped.Count > 0 ? _grouping = GroupAsync()
        : Task.CompletedTask;

    /// <summary>
    /// Waits until what the topic held when the call came is grouped (a member reads what it just
    /// published; what comes meanwhile is not waited for, so steady publishing never starves a read).
    /// While the log read back at activation is still being regrouped, though, it waits at most
    /// <see cref="PoolOptions.GroupingWaitSeconds"/> and lets the call answer from the groups there
    /// are: a topic's first call after a restart takes seconds, however far grouping had lagged.
    /// A grouping that failed meanwhile fails the call (503, tried again).
    /// </summary>
    private async Task WaitForGroupingAsync()
    {
        var target = _lastSequence;
        Task? deadline = null;
        while (_ungrouped.Count > 0 && _ungrouped.Peek().Sequence <= target)
        {
            var grouping = EnsureGroupedAsync();
            if (Regrouping)
            {
                deadline ??= Task.Delay(TimeSpan.FromSeconds(_options.GroupingWaitSeconds));
            }

            if (deadline is { IsCompleted: true })
            {
                return;
            }

            var progressed = _groupedBatch.Task;
            await (deadline is null ? Task.WhenAny(grouping, progressed) : Task.WhenAny(grouping, progressed, deadline));
            if (grouping.IsFaulted)
            {
                await grouping;
            }
        }
    }

    /// <summary>
    /// As <see cref="WaitForGroupingAsync"/>, for calls whose answer a half-rebuilt group could make
    /// wrong (a group not yet back to all its members reads as withdrawn): while the log read back at
    /// activation is still being regrouped, they are refused with "try again".
    /// </summary>
    private async Task GroupedOrBusyAsync()
    {
        await WaitForGroupingAsync();
        if (Regrouping)
        {
            throw new TopicBusyException($"The topic {Topic} is still regrouping the texts it held before a restart; try again in a few seconds.");
        }
    }

    /// <summary>Whether artifacts read back from the log at activation still wait to be grouped (the queue is in log order).</summary>
    private bool Regrouping => _ungrouped.Count > 0 && _ungrouped.Peek().Sequence <= _replayedThrough;

    /// <summary>
    /// Back-pressure on what grouping owes: with <see cref="PoolOptions.MaxUngroupedTexts"/> distinct
    /// texts waiting to be embedded (counted from the moment a publish is taken, before its write), a
    /// publish of yet another new text is refused before anything is stored ("try again"); a text the
    /// topic knows, and an outcome report, are always taken.
    /// </summary>
    private void RefuseWhileGroupingLags(PooledArtifact artifact, string normalised)
    {
        if (artifact.Kind == OutcomeKind || _groupByText.ContainsKey(normalised) || _unembedded.Contains(normalised) || PlacedBefore(normalised))
        {
            return;
        }

        if (_unembedded.Count >= _options.MaxUngroupedTexts)
        {
            _ = EnsureGroupedAsync();
            throw new TopicBusyException($"The topic {Topic} is still grouping {_unembedded.Count} new texts; try again in a few seconds.");
        }

        _unembedded.Add(normalised);
    }

    private async Task GroupAsync()
    {
        try
        {
            while (_ungrouped.Count > 0)
            {
                // Taken off the queue only once grouped: a failed embedding leaves them for the next try.
                var batch = _ungrouped.Take(256).ToList();
                var texts = batch.Where(e => !_groupByText.ContainsKey(e.Normalised) && !PlacedBefore(e.Normalised))
                    .GroupBy(e => e.Normalised, StringComparer.Ordinal)
                    .Select(g => (Key: g.Key, g.First().Display))
                    .ToList();
                var vectors = texts.Count == 0 ? [] : await embeddings.EmbedAsync(texts.Select(t => t.Display).ToList());
                var vectorByText = new Dictionary<string, float[]>(StringComparer.Ordinal);
                for (var i = 0; i < texts.Count; i++)
                {
                    vectorByText[texts[i].Key] = vectors[i];
                }

                var placed = new List<TextPlacement>();
                foreach (var entry in batch)
                {
                    if (!_groupByText.TryGetValue(entry.Normalised, out var group))
                    {
                        group = PlaceStored(entry) ?? await PlaceAsync(entry, vectorByText, placed);
                        _groupByText[entry.Normalised] = group;
                    }

                    AddToGroup(group, entry);
                    _ungrouped.Dequeue();
                    _unembedded.Remove(entry.Normalised);
                }

                // Calls waiting for what they could have seen look again.
                Interlocked.Exchange(ref _groupedBatch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                await RecordPlacementsAsync(placed);
                await PayCreditsAsync();
            }

            // Everything read back at activation is grouped: where it was placed before is no longer needed.
            _stored = new Dictionary<string, (string, float[]?)>();
        }
        catch (ObjectDisposedException ex)
        {
            // The silo is stopping under a grouping (its embedding model is gone): what was not grouped
            // is regrouped by the next activation, as after any stop.
            LogGroupingStopped(logger, ex, Topic);
            throw;
        }
        catch (Exception ex)
        {
            LogGroupingFailed(logger, ex, Topic);
            throw;
        }
    }

    /// <summary>Whether a text's placement was recorded before this activation (it is regrouped without embedding).</summary>
    private bool PlacedBefore(string normalised) => _stored.Count > 0 && _stored.ContainsKey(TopicTextStore.KeyOf(normalised));

    /// <summary>The group a text was placed in before this activation, if it is known and can be rebuilt.</summary>
    private PoolGroup? PlaceStored(PoolEntry entry)
    {
        if (!_stored.TryGetValue(TopicTextStore.KeyOf(entry.Normalised), out var stored))
        {
            return null;
        }

        if (_groupById.TryGetValue(stored.GroupId, out var group))
        {
            return group;
        }

        // The text founded its group: the group comes back with the vector it had.
        return stored.Vector is null ? null : NewGroup(stored.GroupId, entry, stored.Vector);
    }

    /// <summary>Places a text by its embedding: the nearest group, or a new one it founds.</summary>
    private async Task<PoolGroup> PlaceAsync(PoolEntry entry, Dictionary<string, float[]> vectorByText, List<TextPlacement> placed)
    {
        if (!vectorByText.TryGetValue(entry.Normalised, out var vector))
        {
            // Recorded in a group that can no longer be rebuilt (its founder is gone): embedded anew.
            vector = vectorByText[entry.Normalised] = await embeddings.EmbedAsync(entry.Display);
        }

        var group = Nearest(vector, entry.Artifact.Action);
        var founds = group is null;
        group ??= NewGroup(TextKey.GroupId(entry.Normalised), entry, vector);
        placed.Add(new TextPlacement(entry.Normalised, group.Id, founds ? vector : null));
        return group;
    }

    private PoolGroup NewGroup(string id, PoolEntry founder, float[] vector)
    {
        var group = new PoolGroup(id, founder, vector);
        _groups.Add(group);
        _groupById[group.Id] = group;
        return group;
    }

    private async Task RecordPlacementsAsync(List<TextPlacement> placed)
    {
        if (texts is null || placed.Count == 0)
        {
            return;
        }

        try
        {
            await texts.WriteAsync(Topic, placed);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Only slower: the next activation embeds these texts again.
            LogPlacementsUnavailable(logger, ex, Topic);
        }
    }

    /// <summary>
    /// The group this text joins: the most similar one at or above the threshold that recommends the
    /// same action (artifacts that name different actions never say the same thing, however alike
    /// their situations read).
    /// </summary>
    private PoolGroup? Nearest(float[] vector, string? action)
    {
        PoolGroup? best = null;
        var bestSimilarity = _options.SimilarityThreshold;
        foreach (var group in _groups)
        {
            if (!string.Equals(group.Founder.Artifact.Action, action, StringComparison.Ordinal))
            {
                continue;
            }

            var similarity = PoolEmbeddings.Cosine(vector, group.Vector);
            if (similarity >= bestSimilarity)
            {
                best = group;
                bestSimilarity = similarity;
            }
        }

        return best;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The topic {Topic} stopped grouping: the silo is stopping.")]
    private static partial void LogGroupingStopped(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "The topic {Topic} could not group new artifacts.")]
    private static partial void LogGroupingFailed(ILogger logger, Exception exception, string topic);
}
