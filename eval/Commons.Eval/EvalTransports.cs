using System.Collections.Concurrent;
using System.Text;
using Commons.Abstractions.Pools;
using Commons.Community.Service;
using Commons.Insights;
using Commons.Personal.Pools;
using Commons.Pools.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Eval;

/// <summary>
/// The in-process transport to the arm's pool (the same <see cref="PoolService"/> the HTTP API calls),
/// with what left each member counted on the way: the artifacts (for the leak check) and the trial reports.
/// </summary>
public sealed class EvalTransports(IServiceProvider services) : IPoolTransportFactory
{
    private PoolService Pool => services.GetRequiredService<PoolService>();

    /// <summary>Every artifact a member published, by its key.</summary>
    public ConcurrentQueue<(string Key, string Json)> Published { get; } = new();

    public int ReportsSent => _reports;

    private int _reports;

    public IPoolTransport Open(PoolMembership membership, ContributorKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Counting(new InProcessPoolTransport(Pool, key.KeyId), this);
    }

    /// <summary>A transport for a key the benchmark holds itself (the poisoners').</summary>
    public IPoolTransport Open(string keyId) => new Counting(new InProcessPoolTransport(Pool, keyId), this);

    private sealed class Counting(IPoolTransport inner, EvalTransports owner) : IPoolTransport
    {
        public string KeyId => inner.KeyId;

        public Task<MemberStatus> JoinAsync(string invite, CancellationToken cancellationToken = default) => inner.JoinAsync(invite, cancellationToken);

        public async Task<PublishReceipt> PublishAsync(byte[] artifactJson, CancellationToken cancellationToken = default)
        {
            var receipt = await inner.PublishAsync(artifactJson, cancellationToken);
            owner.Published.Enqueue((KeyId, Encoding.UTF8.GetString(artifactJson)));
            return receipt;
        }

        public Task<DigestPage> DigestAsync(string topic, int after = 0, int max = DigestRequest.PageSize, CancellationToken cancellationToken = default) =>
            inner.DigestAsync(topic, after, max, cancellationToken);

        public Task<IReadOnlyList<string>> WithdrawnAsync(string topic, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
            inner.WithdrawnAsync(topic, ids, cancellationToken);

        public async Task<OutcomeResult> ReportOutcomeAsync(string topic, string groupId, bool helpful, double? epsilon = null, CancellationToken cancellationToken = default)
        {
            var result = await inner.ReportOutcomeAsync(topic, groupId, helpful, epsilon, cancellationToken);
            Interlocked.Increment(ref owner._reports);
            return result;
        }

        public Task<MemberStatus> GetMeAsync(CancellationToken cancellationToken = default) => inner.GetMeAsync(cancellationToken);
    }
}
