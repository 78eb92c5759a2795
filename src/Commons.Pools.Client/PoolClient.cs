using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Commons.Abstractions.Pools;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// A member's side of the pool HTTP API: every request signed with the member key for that pool.
/// </summary>
public sealed class PoolClient : IPoolTransport
{
    /// <summary>The JSON shape of the API (camelCase, web defaults).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly ContributorKey _key;
    private readonly TimeProvider _time;

    /// <param name="http">A client whose <see cref="HttpClient.BaseAddress"/> is the pool's URL.</param>
    /// <param name="key">The member key for this pool (or the admin key, for admin requests).</param>
    public PoolClient(HttpClient http, ContributorKey key, TimeProvider? time = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The key id requests are signed with.</summary>
    public string KeyId => _key.KeyId;

    public Task<MemberStatus> JoinAsync(string invite, CancellationToken cancellationToken = default) =>
        SendAsync<MemberStatus>(HttpMethod.Post, PoolWire.Join, Serialize(new JoinRequest(invite)), cancellationToken);

    /// <summary>Publishes a signed artifact; returns the receipt once the pool holds it durably.</summary>
    public Task<PublishReceipt> PublishAsync(InsightArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return PublishAsync(artifact.ToUtf8Bytes(), cancellationToken);
    }

    /// <summary>Publishes an artifact given as its JSON bytes.</summary>
    public Task<PublishReceipt> PublishAsync(byte[] artifactJson, CancellationToken cancellationToken = default) =>
        SendAsync<PublishReceipt>(HttpMethod.Post, PoolWire.Artifacts, artifactJson, cancellationToken);

    public Task<IReadOnlyList<PoolInsight>> QueryAsync(string topic, string situation, int max = 5, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<PoolInsight>>(HttpMethod.Post, PoolWire.Query, Serialize(new QueryRequest(topic, situation, max)), cancellationToken);

    public Task<DigestPage> DigestAsync(string topic, int after = 0, int max = DigestRequest.PageSize, CancellationToken cancellationToken = default) =>
        SendAsync<DigestPage>(HttpMethod.Post, PoolWire.Digest, Serialize(new DigestRequest(topic, after, max)), cancellationToken);

    public Task<OutcomeResult> ReportOutcomeAsync(string topic, string groupId, bool helpful, double? epsilon = null, CancellationToken cancellationToken = default) =>
        SendAsync<OutcomeResult>(HttpMethod.Post, PoolWire.Outcomes, Serialize(new OutcomeRequest(topic, groupId, helpful, epsilon)), cancellationToken);

    /// <summary>Of these staged ids (at most <see cref="WithdrawnRequest.MaxIds"/>), the ones the topic no longer serves.</summary>
    public async Task<IReadOnlyList<string>> WithdrawnAsync(string topic, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        (await SendAsync<WithdrawnList>(HttpMethod.Post, PoolWire.Withdrawn, Serialize(new WithdrawnRequest(topic, ids)), cancellationToken).ConfigureAwait(false)).Withdrawn;

    public Task<PoolPolicyInfo> GetPolicyAsync(CancellationToken cancellationToken = default) =>
        SendAsync<PoolPolicyInfo>(HttpMethod.Get, PoolWire.Policy, [], cancellationToken);

    async Task<PoolPolicyInfo?> IPoolTransport.GetPolicyAsync(CancellationToken cancellationToken) => await GetPolicyAsync(cancellationToken).ConfigureAwait(false);

    public Task<MemberStatus> GetMeAsync(CancellationToken cancellationToken = default) =>
        SendAsync<MemberStatus>(HttpMethod.Get, PoolWire.Me, [], cancellationToken);

    /// <summary>Every topic of the pool, read a page at a time.</summary>
    public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        var topics = new List<string>();
        for (string? after = null; ;)
        {
            var page = await ListTopicsAsync(after, cancellationToken: cancellationToken).ConfigureAwait(false);
            topics.AddRange(page.Topics);
            if (page.Next is null || page.Topics.Count == 0)
            {
                return topics;
            }

            after = page.Next;
        }
    }

    /// <summary>One page of the pool's topics after <paramref name="after"/>; <see cref="TopicList.Next"/> is the cursor of the next page, null after the last.</summary>
    public Task<TopicList> ListTopicsAsync(string? after, int max = 500, CancellationToken cancellationToken = default) =>
        SendAsync<TopicList>(HttpMethod.Get, $"{PoolWire.Topics}?max={max}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"), [], cancellationToken);

    public Task<FeedPage> ReadFeedAsync(string topic, long after, int max, CancellationToken cancellationToken = default) =>
        SendAsync<FeedPage>(HttpMethod.Get, $"{PoolWire.Feed}?topic={Uri.EscapeDataString(topic)}&after={after}&max={max}", [], cancellationToken);

    /// <summary>Reports an insight this member holds (personal data, spam, harmful, wrong) for the pool's admin to review.</summary>
    public Task<ReportReceipt> ReportAsync(ReportRequest report, CancellationToken cancellationToken = default) =>
        SendAsync<ReportReceipt>(HttpMethod.Post, PoolWire.Reports, Serialize(report), cancellationToken);

    /// <summary>A page of the pool's audit log (every admin action) after a cursor.</summary>
    public Task<AuditPage> ReadAuditAsync(long after = 0, int max = 100, CancellationToken cancellationToken = default) =>
        SendAsync<AuditPage>(HttpMethod.Get, $"{PoolWire.Audit}?after={after}&max={max}", [], cancellationToken);

    /// <summary>Asks the pool to withdraw everything this member contributed; the answer is the pool's signed receipt.</summary>
    public Task<SignedStatement<ErasureReceipt>> ForgetAsync(SignedStatement<ForgetStatement> statement, CancellationToken cancellationToken = default) =>
        SendAsync<SignedStatement<ErasureReceipt>>(HttpMethod.Post, PoolWire.Forget, Serialize(statement), cancellationToken);

    /// <summary>Peers: a page of the pool's withdrawals after a cursor.</summary>
    public Task<WithdrawalPage> ReadWithdrawalsAsync(long after, int max, CancellationToken cancellationToken = default) =>
        SendAsync<WithdrawalPage>(HttpMethod.Get, $"{PoolWire.Withdrawals}?after={after}&max={max}", [], cancellationToken);

    /// <summary>Admin: lists, accepts or removes quarantine entries, or reinstates a member (this client must hold the admin key).</summary>
    public Task<ModerationResult> ModerateAsync(ModerationRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ModerationResult>(HttpMethod.Post, PoolWire.Moderation, Serialize(request), cancellationToken);

    /// <summary>Admin: makes the pool replicate from a peer pool (this client must hold the admin key).</summary>
    public Task<PeerStatus> AddPeerAsync(string url, string invite, CancellationToken cancellationToken = default) =>
        SendAsync<PeerStatus>(HttpMethod.Post, PoolWire.Peers, Serialize(new PeerAddRequest(url, invite)), cancellationToken);

    private static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        // Signed here; a PoolSigningHandler inside a retry handler signs each attempt afresh.
        var signing = new PoolRequestSigning(_key, _time, method.Method, pathAndQuery, body);
        signing.Apply(request);
        request.Options.Set(PoolSigningHandler.Signing, signing);
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            PoolError? error = null;
            try
            {
                error = bytes.Length > 0 ? JsonSerializer.Deserialize<PoolError>(bytes, Json) : null;
            }
            catch (JsonException)
            {
                // Not the pool's error shape (a proxy, a crash page): report the status alone.
            }

            // An answer not in the pool's own shape (a proxy, a gateway, a pool being upgraded) is never final.
            throw new PoolApiException(response.StatusCode,
                error?.Error ?? $"The pool answered {(int)response.StatusCode} {response.ReasonPhrase}.", error?.Rejection)
            {
                FromPool = error?.Error is not null,
            };
        }

        return JsonSerializer.Deserialize<T>(bytes, Json)
            ?? throw new PoolApiException(HttpStatusCode.BadGateway, "The pool answered with an empty body.");
    }
}
