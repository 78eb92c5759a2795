using System.CommandLine;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Community.Service;
using Commons.Pools.Client;
using Commons.Privacy.Policies;
using Humanizer;

namespace Commons.Cli.Commands;

/// <summary><c>commons pool policy sign</c>: the pool's own rules, signed by its admin key, for <c>pool serve --policy</c>.</summary>
internal static class PoolPolicyCommand
{
    public static Command Create()
    {
        var policy = new Command("policy", "The pool's own policy: what it takes, checked on every arrival.");
        var sign = new Command("sign", "Sign the pool's policy (topics, never-shared topics, required redaction, k, lifetimes, suspension rule) with its admin key.");
        var adminKey = PoolAdminCommands.AdminKeyOption();
        var folder = new Option<string?>("--policies") { Description = "The policies folder whose topics and redaction the pool requires (default: yours, as `commons policy test` finds it)." };
        var output = new Option<string>("--out") { Description = "File for the signed policy (give it to `pool serve --policy`).", DefaultValueFactory = _ => "pool-policy.json" };
        var name = new Option<string>("--name") { Description = "The pool's name, as members see it.", DefaultValueFactory = _ => "commons-pool" };
        var version = new Option<int>("--version") { Description = "The policy's version; raise it with each change.", DefaultValueFactory = _ => 1 };
        var accept = new Option<string[]>("--accept") { Description = "Member policy ids the pool accepts (id, or id@hash); default: the folder's own id." };
        var k = new Option<int>("--k") { Description = "Distinct members that must back a group before it is served.", DefaultValueFactory = _ => 3 };
        var lifetime = new Option<int?>("--max-lifetime-days") { Description = "Longest artifact lifetime the pool takes (default: the folder's artifact_lifetime_days)." };
        var suspendAfter = new Option<int>("--suspend-after") { Description = "Violations (refused arrivals, removed insights) after which a member is suspended; 0 never.", DefaultValueFactory = _ => 3 };
        var receiptKey = new Option<string?>("--receipt-key") { Description = "The pool's receipt key file (`pool keygen`); `pool serve --receipt-key` signs erasure receipts with it." };
        foreach (var option in new Option[] { adminKey, folder, output, name, version, accept, k, lifetime, suspendAfter, receiptKey })
        {
            sign.Options.Add(option);
        }

        sign.SetAction(parse =>
        {
            if (parse.GetValue(version) < 1 || parse.GetValue(k) is < 1 or > 1000 || parse.GetValue(suspendAfter) < 0 || parse.GetValue(lifetime) is < 1)
            {
                throw new CommonsException("--version and --max-lifetime-days must be at least 1, --k between 1 and 1000, and --suspend-after at least 0.");
            }

            var home = CommonsHome.FromEnvironment();
            var rules = LoadRules(PolicyLocator.Resolve(parse.GetValue(folder), home.Root));
            string? receipt = null;
            if (parse.GetValue(receiptKey) is { } receiptFile)
            {
                using var key = PoolAdminCommands.LoadAdminKey(receiptFile, "receipt key");
                receipt = key.KeyId;
            }

            using var admin = PoolAdminCommands.LoadAdminKey(parse.GetValue(adminKey)!);
            var document = PoolGovernance.Describe(rules, parse.GetValue(name)!, admin.KeyId, receipt, parse.GetValue(version), DateTimeOffset.UtcNow,
                parse.GetValue(accept), parse.GetValue(k), parse.GetValue(lifetime), parse.GetValue(suspendAfter));
            var signed = SignedPoolPolicy.Sign(document, admin);
            var path = Path.GetFullPath(parse.GetValue(output)!);
            File.WriteAllText(path, JsonSerializer.Serialize(signed, new JsonSerializerOptions(PoolClient.Json) { WriteIndented = true }));
            Console.Out.WriteLine($"pool policy v{document.Version} signed by {admin.KeyId}: {path}");
            Console.Out.WriteLine(Describe(document));
            return 0;
        });
        policy.Subcommands.Add(sign);
        return policy;
    }

    /// <summary>A pool policy in a few lines, for the person joining or the admin signing it.</summary>
    public static string Describe(PoolPolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return $"  accepts policies: {string.Join(", ", policy.AcceptedPolicies)}\n"
            + $"  topics: {string.Join(", ", policy.Topics)}\n"
            + $"  never shared: {(policy.NeverShared.Count == 0 ? "none" : string.Join(", ", policy.NeverShared))}\n"
            + $"  redaction: detectors {string.Join(", ", policy.Detectors)}; vocabulary {policy.Vocabulary[..12]}...\n"
            + $"  k {policy.K}, artifacts live at most {policy.MaxLifetimeDays} days, suspension after {(policy.SuspendAfter == 0 ? "no number of violations" : "violation".ToQuantity(policy.SuspendAfter))}"
            + (policy.ReceiptKey is null ? "" : $"\n  receipts signed by {policy.ReceiptKey}");
    }

    private static PolicySet LoadRules(string folder)
    {
        try
        {
            return PolicySet.Load(folder);
        }
        catch (PolicyLoadException ex)
        {
            throw new CommonsException($"The policies folder {folder} does not load: {ex.Message}", ex);
        }
    }
}
