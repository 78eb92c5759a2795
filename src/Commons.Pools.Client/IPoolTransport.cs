using Commons.Abstractions.Pools;

namespace Commons.Pools.Client;

/// <summary>
/// The member's side of one pool, whatever carries it: signed HTTP in the product (<see cref="PoolClient"/>),
/// in-process calls into the same pool service in the benchmark. A refusal throws <see cref="PoolApiException"/>
/// with the pool's status and sentence, the same for every transport.
/// </summary>
public interface IPoolTransport
{
    /// <summary>The member key this transport speaks for.</summary>
    string KeyId { get; }

    Task<MemberStatus> JoinAsync(string invite, CancellationToken cancellationToken = default);

    /// <summary>Publishes a signed artifact given as its exact JSON bytes; the receipt comes once the pool holds it durably.</summary>
    Task<PublishReceipt> PublishAsync(byte[] artifactJson, CancellationToken cancellationToken = default);

    /// <summary>One page of a topic's served insights after a cursor (one read of the allowance or credit).</summary>
    Task<DigestPage> DigestAsync(string topic, int after = 0, int max = DigestRequest.PageSize, CancellationToken cancellationToken = default);

    /// <summary>Of these staged ids (at most <see cref="WithdrawnRequest.MaxIds"/>), the ones the topic no longer serves.</summary>
    Task<IReadOnlyList<string>> WithdrawnAsync(string topic, IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>A report (already through the member's privacy pipeline: randomised response at <paramref name="epsilon"/>, null when exact) on a group or wording it imported.</summary>
    Task<OutcomeResult> ReportOutcomeAsync(string topic, string groupId, bool helpful, double? epsilon = null, CancellationToken cancellationToken = default);

    Task<MemberStatus> GetMeAsync(CancellationToken cancellationToken = default);

    /// <summary>The pool's terms and, when its admin signed one, its own policy; null where the transport has none to tell.</summary>
    Task<PoolPolicyInfo?> GetPolicyAsync(CancellationToken cancellationToken = default) => Task.FromResult<PoolPolicyInfo?>(null);
}
