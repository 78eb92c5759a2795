using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Abstractions.Pools;
using Commons.Insights;
using Commons.Pools.Client;

namespace Commons.Probe;

/// <summary>
/// What every row of the probe shares: the pool's address, its admin key (to make members with
/// invites, as the pool's admin would), raw signed requests (so a row can replay or bend one), and
/// artifacts signed by hand (so a row can sign what the product's own signer refuses to).
/// </summary>
internal sealed class Probe(Uri pool, ContributorKey admin) : IDisposable
{
    public static readonly PolicyReference Policy = new("default", new string('0', 64));

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = pool,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public Uri Pool => pool;

    /// <summary>A fresh key admitted with an invite signed by the admin key.</summary>
    public async Task<(ContributorKey Key, PoolClient Client)> MemberAsync(bool peer = false)
    {
        var key = ContributorKey.Create();
        var client = new PoolClient(Http, key);
        await client.JoinAsync(InviteToken.Create(admin, TimeSpan.FromHours(1), 1, DateTimeOffset.UtcNow, peer));
        return (key, client);
    }

    /// <summary>A request signed as the product's client signs it; <paramref name="bend"/> may change the signature header.</summary>
    public HttpRequestMessage Signed(ContributorKey key, HttpMethod method, string pathAndQuery, byte[] body, Func<string, string>? bend = null, string? nonce = null)
    {
        var (timestamp, signature) = RequestSignature.Sign(key, method.Method, pathAndQuery, body, DateTimeOffset.UtcNow, nonce);
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Add(RequestSignature.KeyHeader, key.KeyId);
        request.Headers.Add(RequestSignature.TimestampHeader, timestamp);
        request.Headers.Add(RequestSignature.SignatureHeader, bend is null ? signature : bend(signature));
        if (nonce is not null)
        {
            request.Headers.Add(RequestSignature.NonceHeader, nonce);
        }

        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>Sends a signed request (with a fresh nonce) and returns its status alone.</summary>
    public async Task<HttpStatusCode> StatusAsync(ContributorKey key, HttpMethod method, string pathAndQuery, byte[] body, CancellationToken cancellationToken = default)
    {
        using var request = Signed(key, method, pathAndQuery, body, nonce: RequestSignature.NewNonce());
        using var response = await Http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>As <see cref="StatusAsync"/>, with 0 for a request that failed or timed out without an answer.</summary>
    public async Task<HttpStatusCode> TryStatusAsync(ContributorKey key, HttpMethod method, string pathAndQuery, byte[] body)
    {
        try
        {
            return await StatusAsync(key, method, pathAndQuery, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    public static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, PoolClient.Json);

    public static byte[] Query(string topic, string situation) => Json(new QueryRequest(topic, situation, 5));

    public static byte[] Withdrawn(string topic) => Json(new WithdrawnRequest(topic, ["g-probe"]));

    /// <summary>A valid artifact, signed by the product's own signer.</summary>
    public static byte[] Artifact(ContributorKey key, string topic, string situation, string advice)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        return InsightSigner.Sign(new InsightDraft(InsightKind.Playbook, topic, situation, advice, null,
            new InsightEvidence(8, 2, InsightEvidence.DiscreteLaplace, 1.0), Policy, created, created.AddDays(30)), key).ToUtf8Bytes();
    }

    /// <summary>
    /// An artifact signed by hand (the v1 layout: id = sha256 of the canonical body, signature over the
    /// canonical body with its id), so that it can carry what the product's signer refuses to sign.
    /// </summary>
    public static byte[] Forged(ContributorKey key, string topic, string situation, string advice, double epsilon = 1.0, Func<string, string>? bendSignature = null)
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-1);
        var body = new JsonObject
        {
            ["schema"] = InsightLimits.Schema,
            ["kind"] = "playbook",
            ["topic"] = topic,
            ["situation"] = situation,
            ["evidence"] = new JsonObject { ["successes"] = 8, ["failures"] = 2, ["mechanism"] = InsightEvidence.DiscreteLaplace, ["epsilon"] = epsilon },
            ["policy"] = new JsonObject { ["id"] = Policy.Id, ["hash"] = Policy.Hash },
            ["contributor"] = key.KeyId,
            ["created"] = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["expires"] = created.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["advice"] = advice,
        };
        body["id"] = Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.SerializeToUtf8(body)));
        var signature = System.Buffers.Text.Base64Url.EncodeToString(key.Sign(CanonicalJson.SerializeToUtf8(body)));
        body["signature"] = bendSignature is null ? signature : bendSignature(signature);
        return CanonicalJson.SerializeToUtf8(body);
    }

    /// <summary>Counts of each status, as <c>200×3 401×7</c>.</summary>
    public static string Tally(IEnumerable<HttpStatusCode> statuses) =>
        string.Join(" ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}×{g.Count()}")));

    public static string Tally(IEnumerable<int> statuses) => Tally(statuses.Select(s => (HttpStatusCode)s));

    public static async Task<MemberStatus> MeAsync(PoolClient client) => await client.GetMeAsync();

    public void Dispose() => Http.Dispose();
}
