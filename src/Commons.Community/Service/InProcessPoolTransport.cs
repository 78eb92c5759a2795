using System.Net;
using Commons.Abstractions.Pools;
using Commons.Pools.Client;

namespace Commons.Community.Service;

/// <summary>
/// A member's transport to a pool in the same process (the benchmark's): the same <see cref="PoolService"/>
/// the HTTP API calls, with the member's key standing where a verified request signature would.
/// Refusals throw <see cref="PoolApiException"/> with the status the HTTP API would answer.
/// </summary>
public sealed class InProcessPoolTransport(PoolService pool, string keyId) : IPoolTransport
{
    public string KeyId { get; } = keyId;

    public async Task<MemberStatus> JoinAsync(string invite, CancellationToken cancellationToken = default) =>
        Unwrap(await pool.JoinAsync(KeyId, invite));

    public async Task<PublishReceipt> PublishAsync(byte[] artifactJson, CancellationToken cancellationToken = default) =>
        Unwrap(await pool.PublishAsync(KeyId, artifactJson));

    public async Task<DigestPage> DigestAsync(string topic, int after = 0, int max = DigestRequest.PageSize, CancellationToken cancellationToken = default) =>
        Unwrap(await pool.DigestAsync(KeyId, new DigestRequest(topic, after, max)));

    public async Task<IReadOnlyList<string>> WithdrawnAsync(string topic, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        Unwrap(await pool.WithdrawnAsync(KeyId, new WithdrawnRequest(topic, ids))).Withdrawn;

    public async Task<OutcomeResult> ReportOutcomeAsync(string topic, string groupId, bool helpful, double? epsilon = null, CancellationToken cancellationToken = default) =>
        Unwrap(await pool.ReportOutcomeAsync(KeyId, new OutcomeRequest(topic, groupId, helpful, epsilon)));

    public Task<MemberStatus> GetMeAsync(CancellationToken cancellationToken = default) => pool.StatusAsync(KeyId);

    private static T Unwrap<T>(PoolAnswer<T> answer) =>
        answer.IsOk ? answer.Value! : throw new PoolApiException((HttpStatusCode)answer.Status, answer.Error!, answer.Rejection);
}
