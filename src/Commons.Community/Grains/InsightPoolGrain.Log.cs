using Commons.Abstractions.Pools;
using Commons.Community.Pooling;
using Commons.Insights;
using Microsoft.Extensions.Logging;

namespace Commons.Community.Grains;

/// <summary>
/// The topic's durable log: read back on activation (and checked again), and written by group commit:
/// concurrent publishes wait in a queue while a write runs and are answered only once the next write is durable.
/// </summary>
public sealed partial class InsightPoolGrain
{
    private ITopicLog? _topicLog;
    // The position of the log's last artifact (an unreadable one too: its position stays taken).
    private long _lastSequence;

    /// <summary>The silo's topic log, or one in segment grains for a silo without PostgreSQL.</summary>
    private ITopicLog TopicLog => _topicLog ??= log ?? new SegmentTopicLog(GrainFactory, _options.SegmentSize);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Where the log's texts were placed is read alongside the log: neither waits for the other.
        var stored = texts is null ? null : ReadPlacementsAsync(cancellationToken);
        await ReadLogAsync();
        var read = clock.Elapsed;
        _topicRegistered = _log.Count > 0;
        _replayedThrough = _lastSequence;
        if (stored is not null)
        {
            _stored = await stored;
        }

        await LoadWithdrawalsAsync();
        MarkReplayed();
        // The log is regrouped in the background: texts placed before come back without embedding, and
        // calls wait for the rest at most PoolOptions.GroupingWaitSeconds (seconds, whatever the log's
        // length or how far grouping lagged when the silo stopped).
        if (_log.Count > 0)
        {
            _ = LogActivatedAsync(EnsureGroupedAsync(), clock, read);
        }
    }

    /// <summary>
    /// Counts what the log read back must have embedded again (a text with no recorded placement)
    /// against PoolOptions.MaxUngroupedTexts, like a new text.
    /// </summary>
    private void MarkReplayed()
    {
        foreach (var entry in _ungrouped)
        {
            if (!PlacedBefore(entry.Normalised))
            {
                _unembedded.Add(entry.Normalised);
            }
        }
    }

    private async Task LogActivatedAsync(Task grouping, System.Diagnostics.Stopwatch clock, TimeSpan read)
    {
        try
        {
            await grouping;
            LogActivated(logger, Topic, _log.Count, _groups.Count, read.TotalMilliseconds, (clock.Elapsed - read).TotalMilliseconds);
        }
        catch (Exception)
        {
            // Grouping logged its failure; the next call tries again.
        }
    }

    /// <summary>
    /// Reads the log a page at a time (the next page is read while this one is checked) and checks every
    /// stored artifact again (parse and signature) on the thread pool, in parallel: the log is the truth
    /// the groups are rebuilt from.
    /// </summary>
    private async Task ReadLogAsync()
    {
        const int page = 4096;
        var next = TopicLog.ReadAsync(Topic, 0, page);
        while (true)
        {
            var items = await next;
            if (items.Count == page)
            {
                next = TopicLog.ReadAsync(Topic, items[^1].Sequence, page);
            }

            var parsed = await Task.Run(() => items.AsParallel().AsOrdered().Select(i => InsightArtifactParser.Parse(i.Json)).ToList());
            for (var i = 0; i < items.Count; i++)
            {
                var (item, result) = (items[i], parsed[i]);
                _lastSequence = Math.Max(_lastSequence, item.Sequence);
                if (!result.IsValid)
                {
                    LogUnreadable(logger, Topic, item.Sequence, result.Reason);
                    continue;
                }

                var artifact = PooledArtifacts.From(result.Artifact, item.Json, item.Source);
                var entry = NewEntry(artifact, TextOf(artifact), item.Sequence, item.ReceivedAt);
                _log.Add(entry);
                _byId[entry.Artifact.Id] = entry;
                if (!IsReport(entry))
                {
                    // (A report is applied once, when it comes; the contributors' grains keep what it did.)
                    _ungrouped.Enqueue(entry);
                }
            }

            if (items.Count < page)
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, (string GroupId, float[]? Vector)>> ReadPlacementsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await texts!.ReadAsync(Topic, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // Only slower: every text is embedded again.
            LogPlacementsUnavailable(logger, ex, Topic);
            return new Dictionary<string, (string, float[]?)>();
        }
    }

    /// <summary>An artifact's words as shown, and as compared (the key of the group its words join).</summary>
    private static (string Display, string Normalised) TextOf(PooledArtifact artifact)
    {
        var display = TextKey.Display(artifact.Situation, artifact.Advice, artifact.Action);
        return (display, TextKey.Normalise(display));
    }

    private static PoolEntry NewEntry(PooledArtifact artifact, (string Display, string Normalised) text, long sequence, DateTimeOffset receivedAt) =>
        new(artifact, sequence, receivedAt, text.Normalised, text.Display);

    private async Task FlushAsync()
    {
        try
        {
            if (!_topicRegistered)
            {
                // Members' publishes were registered (and capped) by the pool service, and what peers
                // relay by the peer grain before it relays; this records the topic in the directory.
                if (directory is not null)
                {
                    await directory.TryRegisterAsync(Topic, int.MaxValue);
                }

                _topicRegistered = true;
            }

            while (_queue.Count > 0)
            {
                var first = _lastSequence + 1;
                var batch = _queue.Take(TopicLog.Room(_lastSequence)).ToList();
                _queue.RemoveRange(0, batch.Count);
                var receivedAt = PostgresTopicLog.Stored(time.GetUtcNow());
                var stored = batch.Select((p, i) => new StoredArtifact(first + i, p.Artifact.Json, receivedAt, p.Artifact.Source)).ToList();
                await TopicLog.AppendAsync(Topic, stored);
                _lastSequence = first + batch.Count - 1;

                for (var i = 0; i < batch.Count; i++)
                {
                    var entry = NewEntry(batch[i].Artifact, batch[i].Text, first + i, receivedAt);
                    _log.Add(entry);
                    _byId[entry.Artifact.Id] = entry;
                    _pending.Remove(entry.Artifact.Id);
                    if (IsReport(entry))
                    {
                        // Applied beside the write loop (it may wait for grouping and for the authors'
                        // grains), and answered once applied; the next write does not wait for it.
                        _ = ApplyReportArtifactAsync(batch[i], entry);
                        continue;
                    }

                    if (_groupByText.TryGetValue(entry.Normalised, out var group))
                    {
                        // (If it was counted as owed when it was taken, an earlier copy was grouped meanwhile.)
                        _unembedded.Remove(entry.Normalised);
                        AddToGroup(group, entry);
                    }
                    else
                    {
                        // (Counted as owed when it was taken: RefuseWhileGroupingLags.)
                        _ungrouped.Enqueue(entry);
                    }

                    batch[i].Completion.TrySetResult(new PublishReceipt(entry.Artifact.Id, Topic, entry.Sequence, false, receivedAt));
                }

                // Credit is sent on its way, not waited for: the next write need not wait on the members' grains.
                _ = PayCreditsAsync();
            }
        }
        catch (Exception ex)
        {
            // Whether the failed write reached the database is unknown: answer no one, and reload
            // the log from the database before accepting anything else.
            _broken = true;
            LogWriteFailed(logger, ex, Topic);
            foreach (var pending in _pending.Values)
            {
                pending.Completion.TrySetException(new InvalidOperationException($"The topic {Topic} could not store the artifact; try again.", ex));
            }

            _pending.Clear();
            _queue.Clear();
            DeactivateOnIdle();
        }
        finally
        {
            _flushing = false;
        }

        if (_ungrouped.Count > 0)
        {
            _ = EnsureGroupedAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The topic {Topic} could not write its log; it reloads from the database.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "The topic {Topic} activated: {Artifacts} artifacts in {Groups} groups; log read in {ReadMs:F0} ms, grouped in {GroupMs:F0} ms.")]
    private static partial void LogActivated(ILogger logger, string topic, int artifacts, int groups, double readMs, double groupMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} could not read or record where its texts were grouped; it embeds them instead.")]
    private static partial void LogPlacementsUnavailable(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The topic {Topic} skipped an unreadable stored artifact at {Sequence}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string topic, long sequence, string reason);

    private sealed class Pending(PooledArtifact artifact, (string Display, string Normalised) text)
    {
        public PooledArtifact Artifact { get; } = artifact;

        public (string Display, string Normalised) Text { get; } = text;

        public TaskCompletionSource<PublishReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
