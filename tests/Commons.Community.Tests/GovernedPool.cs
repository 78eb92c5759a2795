using System.Text.Json;
using Commons.Community.Service;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Privacy.Policies;
using Commons.Privacy.Redaction;
using Commons.Tests.Shared;

namespace Commons.Community.Tests;

/// <summary>
/// A real pool that runs under a policy of its own: a copy of the shipped policies folder (edited as the
/// test says), signed with the pool's admin key, and a receipt key; artifacts made the way a member's
/// pipeline makes them.
/// </summary>
internal sealed class GovernedPool : IAsyncDisposable
{
    private readonly string _folder;

    private GovernedPool(TestPool pool, PolicySet rules, ContributorKey receiptKey, SignedPoolPolicy policy, string folder)
    {
        Pool = pool;
        Rules = rules;
        ReceiptKey = receiptKey;
        Policy = policy;
        _folder = folder;
    }

    public TestPool Pool { get; }

    /// <summary>The policies folder the pool's policy was signed over (the members' too, unless a test says otherwise).</summary>
    public PolicySet Rules { get; }

    public ContributorKey ReceiptKey { get; }

    public SignedPoolPolicy Policy { get; }

    public static async Task<GovernedPool> StartAsync(int k = 2, int suspendAfter = 3, Func<string, string>? editSharing = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("commons-pool-policy-").FullName;
        var policies = PolicyFolder.CopyShipped(Path.Combine(folder, "policies"), editSharing);
        var rules = PolicySet.Load(policies);
        var admin = ContributorKey.Create();
        var receiptKey = ContributorKey.Create();
        var receiptFile = Path.Combine(folder, "receipt.key");
        ContributorKeyFile.TryCreate(receiptFile, receiptKey);
        var policy = SignedPoolPolicy.Sign(PoolGovernance.Describe(rules, "governed", admin.KeyId, receiptKey.KeyId, 1, DateTimeOffset.UtcNow, null, k, null, suspendAfter), admin);
        var policyFile = Path.Combine(folder, "pool-policy.json");
        await File.WriteAllTextAsync(policyFile, JsonSerializer.Serialize(policy, PoolClient.Json));
        var all = new Dictionary<string, string?>
        {
            ["Governance:PolicyFile"] = policyFile,
            ["Governance:Policies"] = policies,
            ["Governance:ReceiptKeyFile"] = receiptFile,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GovernedPool(await TestPool.StartAsync(all, admin), rules, receiptKey, policy, folder);
    }

    /// <summary>An artifact whose texts went through the pool's own redaction, as a member's pipeline sends it.</summary>
    public InsightArtifact Redacted(ContributorKey key, string topic, string situation, string advice, PolicyReference? madeUnder = null) =>
        Raw(key, topic, Redactor.Redact(situation, Rules.Redaction).Text, Redactor.Redact(advice, Rules.Redaction).Text, madeUnder);

    /// <summary>An artifact with these texts exactly, made under the pool's policy unless <paramref name="madeUnder"/> says otherwise.</summary>
    public InsightArtifact Raw(ContributorKey key, string topic, string situation, string advice, PolicyReference? madeUnder = null)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        return InsightSigner.Sign(new InsightDraft(InsightKind.Playbook, topic, situation, advice, null,
            new InsightEvidence(8, 2, InsightEvidence.DiscreteLaplace, 0.5), madeUnder ?? Rules.Reference, now, now.AddDays(30)), key);
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        ReceiptKey.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
