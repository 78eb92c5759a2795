using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Commons.Community.Pooling;

/// <summary>
/// The topics' logs in PostgreSQL (table CommonsTopicLog), written by group commit: the appends of
/// every topic of this silo that wait while a write is running go to the database together, as one
/// multi-row INSERT (one transaction), and each is answered once that commit returns. A few writers
/// run at once, so that one commit's round trip overlaps the next one's batch. When a combined write
/// fails, each topic's append is tried alone, so that one topic's conflict fails only that topic.
/// </summary>
public sealed partial class PostgresTopicLog : ITopicLog, IAsyncDisposable
{
    /// <summary>Most rows one INSERT carries.</summary>
    public const int MaxRowsPerCommit = 2000;

    private readonly string _connectionString;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly Channel<Append> _appends = Channel.CreateUnbounded<Append>();
    private readonly Task[] _writers;
    private readonly Histogram<double>? _commitTime;
    private readonly Histogram<int>? _commitRows;

    /// <param name="writers">Commits that may be running at once.</param>
    public PostgresTopicLog(string connectionString, string serviceId, int writers = 2, ILogger<PostgresTopicLog>? logger = null, IMeterFactory? meters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _connectionString = connectionString;
        _serviceId = serviceId;
        _logger = logger ?? NullLogger<PostgresTopicLog>.Instance;
        if (meters?.Create(PoolMetrics.MeterName) is { } meter)
        {
            _commitTime = meter.CreateHistogram<double>("commons.pool.log.commit.duration", "ms", "Time of one group commit of the topics' logs (one multi-row INSERT).",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });
            _commitRows = meter.CreateHistogram<int>("commons.pool.log.commit.rows", "{artifact}", "Artifacts in one group commit.",
                advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] });
        }

        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public int Room(long last) => 1000;

    public Task AppendAsync(string topic, IReadOnlyList<StoredArtifact> artifacts)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(artifacts);
        if (artifacts.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new Append(topic, artifacts);
        return _appends.Writer.TryWrite(append) ? append.Done.Task
            : Task.FromException(new ObjectDisposedException(nameof(PostgresTopicLog), "The silo is stopping; the topic log takes no more writes."));
    }

    public async Task<IReadOnlyList<StoredArtifact>> ReadAsync(string topic, long after, int max)
    {
        var items = new List<StoredArtifact>();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            SELECT Sequence, Json, ReceivedAt, Source FROM CommonsTopicLog
            WHERE ServiceId = @service AND Topic = @topic AND Sequence > @after
            ORDER BY Sequence LIMIT @max
            """, connection);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("topic", topic);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("max", (long)max);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            items.Add(new StoredArtifact(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return items;
    }

    /// <summary>
    /// A time as the log keeps it: whole microseconds (PostgreSQL's precision), so that a receipt given
    /// now and one given for the same artifact after a reload say the same.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _appends.Reader;
        var batch = new List<Append>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var rows = 0;
            while (rows < MaxRowsPerCommit && reader.TryRead(out var append))
            {
                batch.Add(append);
                rows += append.Artifacts.Count;
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch, rows).ConfigureAwait(false);
            }
        }
    }

    private async Task CommitAsync(List<Append> batch, int rows)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            await InsertAsync(batch, rows).ConfigureAwait(false);
            _commitTime?.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _commitRows?.Record(rows);
            LogCommitted(_logger, rows, batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var append in batch)
            {
                append.Done.TrySetResult();
            }
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogCombinedFailed(_logger, ex, batch.Count);
            foreach (var append in batch)
            {
                await CommitAsync([append], append.Artifacts.Count).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
        }
    }

    private async Task InsertAsync(List<Append> batch, int rows)
    {
        var topics = new string[rows];
        var sequences = new long[rows];
        var jsons = new string[rows];
        var received = new DateTimeOffset[rows];
        var sources = new string?[rows];
        var row = 0;
        foreach (var append in batch)
        {
            foreach (var artifact in append.Artifacts)
            {
                topics[row] = append.Topic;
                sequences[row] = artifact.Sequence;
                jsons[row] = artifact.Json;
                received[row] = artifact.ReceivedAt.ToUniversalTime();
                sources[row] = artifact.Source;
                row++;
            }
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO CommonsTopicLog (ServiceId, Topic, Sequence, Json, ReceivedAt, Source)
            SELECT @service, t.topic, t.sequence, t.json, t.received, t.source
            FROM unnest(@topics, @sequences, @jsons, @received, @sources) AS t(topic, sequence, json, received, source)
            """, connection);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.Add(new NpgsqlParameter("topics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = topics });
        command.Parameters.Add(new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sequences });
        command.Parameters.Add(new NpgsqlParameter("jsons", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jsons });
        command.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = received });
        command.Parameters.Add(new NpgsqlParameter("sources", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = sources });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Group commit: {Rows} artifacts of {Appends} topic appends in {Milliseconds:F1} ms.")]
    private static partial void LogCommitted(ILogger logger, int rows, int appends, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Appends} topic appends failed; each is tried alone.")]
    private static partial void LogCombinedFailed(ILogger logger, Exception exception, int appends);

    private sealed class Append(string topic, IReadOnlyList<StoredArtifact> artifacts)
    {
        public string Topic { get; } = topic;

        public IReadOnlyList<StoredArtifact> Artifacts { get; } = artifacts;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
