using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Commons.Community.Hosting;
using Commons.Pools.Client;
using Microsoft.Extensions.Options;

namespace Commons.Community.Http;

/// <summary>
/// The signatures this silo accepted inside the replay window (±<see cref="RequestSignature.MaxSkew"/>),
/// so that one signed request is acted on once. Bounded by <see cref="PoolOptions.ReplayCacheEntries"/>:
/// when full it refuses (fails closed) until the oldest second falls out of the window.
/// </summary>
/// <remarks>
/// Hand-written rather than Microsoft.Extensions.Caching.Memory: a MemoryCache entry costs about 219
/// bytes (measured, 1,000,000 entries), a 128-bit digest in a per-second set about 61, and every entry
/// of one timestamp second expires at once, so whole seconds are dropped instead of single entries.
/// Per silo: a replay sent to another silo of the same cluster is not seen here.
/// </remarks>
public sealed class ReplayCache(TimeProvider time, IOptions<PoolOptions> options)
{
    private readonly ConcurrentDictionary<long, Second> _seconds = new();
    private readonly Lock _pruning = new();
    private readonly long _capacity = options.Value.ReplayCacheEntries;
    private long _count;
    private long _prunedAt = long.MinValue;

    /// <summary>Signatures held now.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Remembers a verified request's signature; says whether it was seen before.</summary>
    public ReplayVerdict TryAccept(string key, long unixSeconds, string signature)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        Prune(now);
        var digest = Digest(key, unixSeconds, signature);
        var second = _seconds.GetOrAdd(unixSeconds, _ => new Second());
        lock (second)
        {
            if (second.Dropped)
            {
                // Pruned while this request was on its way here: that second can never verify again.
                return ReplayVerdict.Fresh;
            }

            if (second.Digests.Contains(digest))
            {
                return ReplayVerdict.Replayed;
            }

            if (Interlocked.Increment(ref _count) > _capacity)
            {
                Interlocked.Decrement(ref _count);
                return ReplayVerdict.Full;
            }

            second.Digests.Add(digest);
            return ReplayVerdict.Fresh;
        }
    }

    private void Prune(long now)
    {
        // A second older than the window can never verify again, so all of it goes at once.
        var oldest = now - (long)RequestSignature.MaxSkew.TotalSeconds - 1;
        if (Volatile.Read(ref _prunedAt) >= now || !_pruning.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _prunedAt, now);
            foreach (var second in _seconds.Keys)
            {
                if (second < oldest && _seconds.TryRemove(second, out var set))
                {
                    lock (set)
                    {
                        set.Dropped = true;
                        Interlocked.Add(ref _count, -set.Digests.Count);
                    }
                }
            }
        }
        finally
        {
            _pruning.Exit();
        }
    }

    private static UInt128 Digest(string key, long unixSeconds, string signature)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key}\n{unixSeconds}\n{signature}")), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private sealed class Second
    {
        public HashSet<UInt128> Digests { get; } = [];

        public bool Dropped { get; set; }
    }
}
