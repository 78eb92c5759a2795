using System.Text.Json;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// Approved artifacts waiting for one pool, as files in a folder (they survive restarts). Delivery
/// retries with exponential backoff and jitter on network errors, timeouts, 429 and 5xx; an artifact
/// the pool refuses for good (another 4xx) is set aside with the pool's reason and not sent again.
/// Re-sending after an unanswered attempt is safe: artifacts are content-addressed and publishing is
/// idempotent.
/// </summary>
public sealed class PoolOutbox
{
    private readonly string _folder;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="folder">The outbox folder for one pool (<c>pending/</c>, <c>sent/</c>, <c>rejected/</c> below it).</param>
    /// <param name="delay">How to wait between attempts (injected so tests need not sleep).</param>
    public PoolOutbox(string folder, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _folder = folder ?? throw new ArgumentNullException(nameof(folder));
        _delay = delay ?? Task.Delay;
    }

    /// <summary>First wait after a failed attempt; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per artifact in one delivery round.</summary>
    public int MaxAttempts { get; init; } = 6;

    private string Pending => Path.Combine(_folder, "pending");

    private string Sent => Path.Combine(_folder, "sent");

    private string Rejected => Path.Combine(_folder, "rejected");

    /// <summary>Queues a signed artifact (idempotent: the file is named by the artifact id).</summary>
    public void Enqueue(InsightArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        Directory.CreateDirectory(Pending);
        if (!File.Exists(Path.Combine(Sent, artifact.Id + ".json")))
        {
            File.WriteAllText(Path.Combine(Pending, artifact.Id + ".json"), artifact.ToJson());
        }
    }

    public int PendingCount => Count(Pending);

    public int SentCount => Count(Sent);

    public int RejectedCount => Count(Rejected);

    /// <summary>Delivers everything pending, oldest first.</summary>
    public async Task<OutboxDelivery> DeliverAsync(PoolClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!Directory.Exists(Pending))
        {
            return new OutboxDelivery(0, 0, 0, []);
        }

        int sent = 0, rejected = 0, waiting = 0;
        var reasons = new List<string>();
        foreach (var file in new DirectoryInfo(Pending).GetFiles("*.json").OrderBy(f => f.CreationTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            var outcome = await SendWithRetryAsync(client, bytes, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case { Receipt: not null }:
                    Move(file, Sent);
                    await File.WriteAllTextAsync(Path.Combine(Sent, Path.GetFileNameWithoutExtension(file.Name) + ".receipt.json"),
                        JsonSerializer.Serialize(outcome.Receipt, PoolClient.Json), cancellationToken).ConfigureAwait(false);
                    sent++;
                    break;
                case { Permanent: true }:
                    Move(file, Rejected);
                    await File.WriteAllTextAsync(Path.Combine(Rejected, Path.GetFileNameWithoutExtension(file.Name) + ".reason.txt"), outcome.Reason, cancellationToken).ConfigureAwait(false);
                    reasons.Add(outcome.Reason!);
                    rejected++;
                    break;
                default:
                    reasons.Add(outcome.Reason!);
                    waiting++;
                    break;
            }
        }

        return new OutboxDelivery(sent, rejected, waiting, reasons);
    }

    private async Task<(Abstractions.Pools.PublishReceipt? Receipt, bool Permanent, string? Reason)> SendWithRetryAsync(PoolClient client, byte[] artifact, CancellationToken cancellationToken)
    {
        var backoff = InitialBackoff;
        string reason = "not attempted";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                return (await client.PublishAsync(artifact, cancellationToken).ConfigureAwait(false), false, null);
            }
            catch (PoolApiException ex) when (ex.IsPermanent)
            {
                return (null, true, ex.Message);
            }
            catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                reason = ex.Message;
            }

            if (attempt < MaxAttempts)
            {
                // Full jitter, so that many agents coming back after an outage do not arrive together.
                var wait = TimeSpan.FromMilliseconds(backoff.TotalMilliseconds * (0.5 + (Random.Shared.NextDouble() / 2)));
                await _delay(wait, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }

        return (null, false, reason);
    }

    private static void Move(FileInfo file, string folder)
    {
        Directory.CreateDirectory(folder);
        file.MoveTo(Path.Combine(folder, file.Name), overwrite: true);
    }

    private static int Count(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Count(f => !f.EndsWith(".receipt.json", StringComparison.Ordinal)) : 0;
}
