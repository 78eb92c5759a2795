namespace Commons.Abstractions.Sharing;

/// <summary>
/// What leaves the person's machine, keyed by the user's id: candidates (playbook entries with enough
/// local evidence, outcome reports on imports) go through the export pipeline into an approval queue;
/// approved artifacts are signed and wait in the outbox for delivery to pools. Fails closed.
/// </summary>
[Alias("Commons.IOutboxGrain")]
public interface IOutboxGrain : IGrainWithStringKey
{
    /// <summary>Runs the current candidates through the export pipeline; refused ones are reported with the reason, never queued.</summary>
    [Alias("Prepare")]
    Task<SharePreparation> PrepareAsync();

    /// <summary>Artifacts waiting for the person's approval, with the exact bytes that would leave for each joined pool.</summary>
    [Alias("ListAwaitingApproval")]
    Task<IReadOnlyList<ShareItem>> ListAwaitingApprovalAsync();

    /// <summary>Approves an artifact (by id or a unique prefix of at least 6 characters): it is signed for each joined pool and moves to the outbox.</summary>
    [Alias("Approve")]
    Task<ShareDecision> ApproveAsync(string id);

    /// <summary>Denies an artifact: it is dropped, and what it was made from is never proposed again.</summary>
    [Alias("Deny")]
    Task<ShareDecision> DenyAsync(string id);

    /// <summary>Signed artifacts waiting for delivery to pools.</summary>
    [Alias("ListOutbox")]
    Task<IReadOnlyList<ShareItem>> ListOutboxAsync();

    /// <summary>
    /// Every copy that waits for a pool: for each approved artifact, exactly the bytes signed with that
    /// pool's member key. Fails closed: nothing while the policies do not load.
    /// </summary>
    [Alias("ListDeliveries")]
    Task<IReadOnlyList<ShareDelivery>> ListDeliveriesAsync();

    /// <summary>Records a pool's answer to a copy: its receipt (delivered) or a refusal for good (with the reason); false when no such copy waits.</summary>
    [Alias("RecordDelivery")]
    Task<bool> RecordDeliveryAsync(string pool, string itemId, bool delivered, string? reason);

    /// <summary>
    /// Trial reports on imported insights, each a bit through randomised response, waiting to go to the pool
    /// they came from. Fails closed: none while the policies do not load, and never one on a topic no longer shared.
    /// </summary>
    [Alias("ListReports")]
    Task<IReadOnlyList<QueuedReport>> ListReportsAsync();

    /// <summary>Drops reports the pool answered: applied (<paramref name="sent"/>, counted) or refused for good.</summary>
    [Alias("RemoveReports")]
    Task RemoveReportsAsync(IReadOnlyList<string> reportIds, bool sent = true);

    /// <summary>The policy in force, the epsilon spent today, and what waits where.</summary>
    [Alias("GetSummary")]
    Task<ShareSummary> GetSummaryAsync();
}
