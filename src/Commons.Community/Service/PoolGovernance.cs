using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Privacy.Policies;

namespace Commons.Community.Service;

/// <summary>
/// The pool's own policy as it runs: the admin-signed rules it publishes, the policies folder they were
/// signed over (whose redaction checks every arrival, with the members' own code) and the key that
/// signs receipts. A pool without a policy file has none of these, and refuses nothing for its policy.
/// </summary>
public sealed class PoolGovernance : IDisposable
{
    private PoolGovernance(SignedPoolPolicy? published, PolicySet? rules, ContributorKey? receiptKey)
    {
        Published = published;
        Rules = rules;
        ReceiptKey = receiptKey;
    }

    /// <summary>A pool that runs without a signed policy.</summary>
    public static PoolGovernance None { get; } = new(null, null, null);

    /// <summary>What <c>GET /v1/policy</c> publishes; null without a policy.</summary>
    public SignedPoolPolicy? Published { get; }

    public PoolPolicyDocument? Policy => Published?.Policy;

    /// <summary>The policies folder the rules were signed over.</summary>
    public PolicySet? Rules { get; }

    /// <summary>Signs erasure receipts; null when the policy names none.</summary>
    public ContributorKey? ReceiptKey { get; }

    /// <summary>Null when the policy takes the artifact (or there is no policy); otherwise why not.</summary>
    public PolicyRefusal? Check(InsightArtifact artifact) =>
        Published is null ? null : PoolPolicyCheck.Check(artifact, Published.Policy, Rules!.Redaction);

    /// <summary>
    /// Loads the signed policy, checks that <paramref name="adminKey"/> signed it and that the policies
    /// folder is the one it was signed over; a problem is one sentence naming the setting.
    /// </summary>
    public static PoolGovernance Load(GovernanceOptions options, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.PolicyFile))
        {
            return None;
        }

        var published = ReadPolicy(options.PolicyFile);
        if (!published.IsSignedBy(adminKey))
        {
            throw new CommonsException($"Governance:PolicyFile {options.PolicyFile} is not signed by this pool's admin key {adminKey}; sign it with `commons pool policy sign --admin-key ...`.");
        }

        if (string.IsNullOrWhiteSpace(options.Policies))
        {
            throw new CommonsException("Governance:Policies (--policies) is required with a pool policy: the policies folder it was signed over.");
        }

        PolicySet rules;
        try
        {
            rules = PolicySet.Load(options.Policies);
        }
        catch (PolicyLoadException ex)
        {
            throw new CommonsException($"Governance:Policies {options.Policies} does not load: {ex.Message}", ex);
        }

        if (rules.Hash != published.Policy.PolicyHash)
        {
            throw new CommonsException($"Governance:Policies {options.Policies} has changed since the pool policy was signed (its hash is {rules.Hash[..12]}..., the policy's {published.Policy.PolicyHash[..Math.Min(12, published.Policy.PolicyHash.Length)]}...); sign it again with `commons pool policy sign`.");
        }

        return new PoolGovernance(published, rules, ReadReceiptKey(options.ReceiptKeyFile, published.Policy.ReceiptKey));
    }

    /// <summary>Builds the rules an admin signs, from a policies folder and the pool's terms.</summary>
    public static PoolPolicyDocument Describe(PolicySet rules, string pool, string adminKey, string? receiptKey, int version, DateTimeOffset issued,
        IReadOnlyList<string>? accepted, int k, int? maxLifetimeDays, int suspendAfter)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new PoolPolicyDocument(version, pool, adminKey, receiptKey, issued, rules.Hash,
            accepted is { Count: > 0 } ? accepted : [rules.Id],
            rules.Sharing.Topics.Select(t => t.Id).ToList(), rules.Sharing.NeverShared,
            rules.Redaction.Detectors.Select(d => d.Id).ToList(), PoolPolicyCheck.VocabularyHash(rules.Redaction.Vocabulary),
            k, maxLifetimeDays ?? rules.Sharing.ArtifactLifetimeDays, suspendAfter);
    }

    public void Dispose() => ReceiptKey?.Dispose();

    private static SignedPoolPolicy ReadPolicy(string file)
    {
        try
        {
            return JsonSerializer.Deserialize<SignedPoolPolicy>(File.ReadAllBytes(file), PoolClient.Json) is { Policy: not null, Signature: not null } policy
                ? policy
                : throw new CommonsException($"Governance:PolicyFile {file} is not a signed pool policy.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"Governance:PolicyFile {file} cannot be read: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new CommonsException($"Governance:PolicyFile {file} is not a signed pool policy: {ex.Message}", ex);
        }
    }

    private static ContributorKey? ReadReceiptKey(string? file, string? named)
    {
        if (named is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            throw new CommonsException($"Governance:ReceiptKeyFile (--receipt-key) is required: the pool policy names the receipt key {named}.");
        }

        ContributorKey key;
        try
        {
            key = ContributorKeyFile.Read(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CommonsException($"Governance:ReceiptKeyFile {file} cannot be read: {ex.Message}", ex);
        }

        if (key.KeyId != named)
        {
            key.Dispose();
            throw new CommonsException($"Governance:ReceiptKeyFile {file} holds {key.KeyId}, not the receipt key {named} the pool policy names.");
        }

        return key;
    }
}
