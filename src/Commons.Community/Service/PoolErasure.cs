using System.Globalization;
using System.Text.Json;
using Commons.Abstractions.Pools;
using Commons.Community.Hosting;
using Commons.Community.Pooling;
using Commons.Pools.Client;
using Microsoft.Extensions.Options;

namespace Commons.Community.Service;

/// <summary>
/// Erasure, in one place: a member's signed request to be forgotten withdraws every artifact it signed
/// in every topic (each group it backed is aggregated again, and served no more below k), is recorded
/// for peer pools to apply in turn, and is answered with a receipt signed by the pool's receipt key.
/// Withdrawals relayed from a peer go through here too.
/// </summary>
public sealed class PoolErasure(IGrainFactory grains, PoolGovernance governance, GovernanceStore store, PoolWithdrawals withdrawals, TopicDirectory directory, IOptions<PoolOptions> options, TimeProvider time)
{
    /// <summary>How far a forget statement's time may be from the pool's clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromHours(1);

    /// <summary>Withdraws everything <paramref name="key"/> contributed, on its own signed statement.</summary>
    public async Task<PoolAnswer<SignedStatement<ErasureReceipt>>> ForgetAsync(string key, byte[] body)
    {
        SignedStatement<ForgetStatement>? signed;
        try
        {
            signed = body.Length == 0 ? null : JsonSerializer.Deserialize<SignedStatement<ForgetStatement>>(body, PoolClient.Json);
        }
        catch (JsonException)
        {
            signed = null;
        }

        if (signed?.Statement is not { Action: ForgetStatement.Forget } statement || string.IsNullOrEmpty(signed.Signature))
        {
            return PoolAnswer<SignedStatement<ErasureReceipt>>.Refuse(400, "The body must be a forget statement signed by the member key (`commons pool forget` makes one).");
        }

        if (statement.Contributor != key || !signed.IsSignedBy(key))
        {
            return PoolAnswer<SignedStatement<ErasureReceipt>>.Refuse(403, "The forget statement must name and be signed by the key that signs the request.");
        }

        if ((statement.Issued - time.GetUtcNow()).Duration() > MaxSkew)
        {
            return PoolAnswer<SignedStatement<ErasureReceipt>>.Refuse(400, "The forget statement is more than an hour from the pool's clock; make a new one.");
        }

        var statementJson = JsonSerializer.Serialize(signed, PoolClient.Json);
        var topics = new List<string>();
        int withdrawn = 0, backed = 0, stopped = 0;
        foreach (var topic in await AllTopicsAsync().ConfigureAwait(false))
        {
            var pool = grains.GetGrain<IInsightPoolGovernance>(topic);
            var ids = await pool.ArtifactsOfAsync(key).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                continue;
            }

            var result = await withdrawals.WithdrawAsync(topic, ids, GovernanceStore.Erasure, statementJson, key).ConfigureAwait(false);
            topics.Add(topic);
            withdrawn += ids.Count;
            backed += result.GroupsBacked;
            stopped += result.GroupsNoLongerServed;
        }

        // The pools that follow this one read its withdrawals with its feed.
        var peers = await store.CountPeerMembersAsync().ConfigureAwait(false);
        var receipt = new ErasureReceipt(options.Value.Name, key, time.GetUtcNow(), withdrawn, topics, backed, stopped, peers);
        await store.AuditAsync(key, "forget", key,
            $"{Counted.Of(withdrawn, "artifact", "artifacts")} withdrawn in {Counted.Of(topics.Count, "topic", "topics")}; "
            + string.Create(CultureInfo.InvariantCulture, $"{stopped} of the {Counted.Of(backed, "group", "groups")} they backed {(stopped == 1 ? "is" : "are")} no longer served")).ConfigureAwait(false);
        return PoolAnswer<SignedStatement<ErasureReceipt>>.Ok(governance.ReceiptKey is { } receiptKey
            ? SignedStatement<ErasureReceipt>.Sign(receipt, receiptKey)
            : new SignedStatement<ErasureReceipt>(receipt, ""));
    }

    /// <summary>
    /// Applies a withdrawal a peer pool relayed: an erasure only to artifacts the statement's own signer
    /// signed (checked here: the relay need not be trusted), a removal as the peer's moderators decided.
    /// </summary>
    public async Task<int> ApplyRelayedAsync(WithdrawalItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        string? onlyBy = null;
        if (item.Kind == GovernanceStore.Erasure)
        {
            SignedStatement<ForgetStatement>? signed;
            try
            {
                signed = JsonSerializer.Deserialize<SignedStatement<ForgetStatement>>(item.Statement, PoolClient.Json);
            }
            catch (JsonException)
            {
                return 0;
            }

            if (signed?.Statement is not { Action: ForgetStatement.Forget } statement || !signed.IsSignedBy(statement.Contributor))
            {
                return 0;
            }

            onlyBy = statement.Contributor;
        }
        else if (item.Kind != GovernanceStore.Removal)
        {
            return 0;
        }

        return (await withdrawals.WithdrawAsync(item.Topic, [item.ArtifactId], item.Kind, item.Statement, onlyBy).ConfigureAwait(false)).Withdrawn.Count;
    }

    /// <summary>A page of this pool's withdrawals, for its peers.</summary>
    public Task<WithdrawalPage> ReadWithdrawalsAsync(long after, int max) => store.ReadWithdrawalsAsync(Math.Max(0, after), Math.Clamp(max, 1, 1000));

    /// <summary>Every topic of the pool, read from the directory a page at a time.</summary>
    private async Task<List<string>> AllTopicsAsync()
    {
        var all = new List<string>();
        string? after = null;
        while (true)
        {
            var (topics, hasMore) = await directory.ListAsync(after, 500).ConfigureAwait(false);
            all.AddRange(topics);
            if (!hasMore || topics.Count == 0)
            {
                return all;
            }

            after = topics[^1];
        }
    }
}
