using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Humanizer;

namespace Commons.Cli.Commands;

/// <summary>A member's part in a pool's governance: <c>report</c> an insight, read the <c>audit</c> log, <c>forget</c> (erasure).</summary>
internal static class PoolMemberGovernanceCommands
{
    public static Command CreateReport()
    {
        var command = new Command("report", "Report an imported insight to its pool's admin (personal data, spam, harmful advice, wrong).");
        var id = new Argument<string>("ID") { Description = "The insight's id, as `commons insights staged` shows it (e12)." };
        var reason = new Option<string>("--reason") { Description = "personal-data, spam, harmful or wrong.", Required = true };
        var note = new Option<string?>("--note") { Description = "A sentence for the admin." };
        command.Arguments.Add(id);
        command.Options.Add(reason);
        command.Options.Add(note);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var why = parse.GetValue(reason)!.Trim();
            if (!ReportRequest.Reasons.Contains(why))
            {
                throw new CommonsException($"--reason must be one of {string.Join(", ", ReportRequest.Reasons)}.");
            }

            var entryId = parse.GetValue(id)!.Trim();
            string pool, insight, topic;
            await using (var silo = await QuietSilo.StartAsync(null, cancellationToken))
            {
                var review = (await silo.Playbook.ListImportReviewsAsync()).FirstOrDefault(r => r.EntryId == entryId)
                    ?? throw new CommonsException($"No imported insight {entryId}; see `commons insights staged`.");
                pool = review.Pool;
                insight = review.ArtifactId;
                topic = (await silo.Playbook.ListImportsAsync(pool)).FirstOrDefault(i => i.ArtifactId == insight)?.Topic
                    ?? throw new CommonsException($"The insight {entryId} is no longer held from {pool}.");
            }

            var receipt = await WithPoolAsync(pool, (client, _) => client.ReportAsync(new ReportRequest(topic, insight, why, parse.GetValue(note)), cancellationToken));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reported {entryId} to {pool} as {why}: quarantine entry {receipt.QuarantineId}{(receipt.Duplicate ? " (you had reported it already)" : "")}; the pool's admin decides"));
            return 0;
        });
        return command;
    }

    public static Command CreateAudit()
    {
        var command = new Command("audit", "Read a pool's audit log: every admin action and every suspension its policy made.");
        var pool = PoolOption();
        command.Options.Add(pool);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = Choose(parse.GetValue(pool));
            var entries = new List<AuditEntry>();
            await WithPoolAsync(url, async (client, _) =>
            {
                for (AuditPage? page = null; page is null || page.HasMore;)
                {
                    page = await client.ReadAuditAsync(page?.Next ?? 0, 500, cancellationToken);
                    entries.AddRange(page.Entries);
                }

                return 0;
            });
            Console.Out.WriteLine(entries.Count == 0 ? $"{url}: no admin actions yet" : $"{url}: {"entry".ToQuantity(entries.Count)}");
            foreach (var entry in entries)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.Seq}  {entry.At:u}  {entry.Actor}  {entry.Action}  {entry.Target}  {entry.Detail}"));
            }

            return 0;
        });
        return command;
    }

    public static Command CreateForget()
    {
        var command = new Command("forget", "Erasure: the pool withdraws everything you contributed to it, from its members and its peers, and signs a receipt.");
        var pool = PoolOption();
        command.Options.Add(pool);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = Choose(parse.GetValue(pool));
            var home = CommonsHome.FromEnvironment();
            var (signed, verdict) = await WithPoolAsync(url, async (client, membership) =>
            {
                var statement = new ForgetStatement(ForgetStatement.Forget, client.KeyId, url, DateTimeOffset.UtcNow);
                using var key = PoolMembershipStore.KeyOf(membership);
                var receipt = await client.ForgetAsync(SignedStatement<ForgetStatement>.Sign(statement, key), cancellationToken);
                var (policy, problem) = PoolPolicyCheck.Verified(await client.GetPolicyAsync(cancellationToken), membership.PoolKey);
                var check = policy?.ReceiptKey is { } receiptKey
                    ? receipt.IsSignedBy(receiptKey) ? $"signed by the pool's receipt key {receiptKey} (its admin-signed policy names it)" : "its signature does NOT verify against the receipt key the pool's policy names"
                    : problem ?? "unsigned: the pool's policy names no receipt key";
                return (receipt, check);
            });
            var receipt = signed.Statement;
            var file = Path.Combine(new PoolMembershipStore(home).Folder, $"erasure-{receipt.Issued.UtcDateTime:yyyyMMddTHHmmss}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(signed, PoolClient.Json), cancellationToken);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{url} forgot {receipt.Contributor}: {"artifact".ToQuantity(receipt.ArtifactsWithdrawn)} withdrawn in {"topic".ToQuantity(receipt.Topics.Count)}; {"group".ToQuantity(receipt.GroupsBacked)} aggregated again without them, {receipt.GroupsNoLongerServed} no longer served (below k); {"peer pool".ToQuantity(receipt.PeersTold)} {(receipt.PeersTold == 1 ? "follows" : "follow")} its withdrawals"));
            Console.Out.WriteLine($"receipt: {file}, {verdict}");
            return 0;
        });
        return command;
    }

    private static Option<string?> PoolOption() => new("--pool") { Description = "The pool's URL (needed when you joined more than one)." };

    /// <summary>The pool meant: the one given, or the only one joined.</summary>
    private static string Choose(string? given)
    {
        var pools = new PoolMembershipStore(CommonsHome.FromEnvironment()).List();
        if (given is not null)
        {
            return PoolMembershipStore.Normalise(given);
        }

        return pools.Count switch
        {
            0 => throw new CommonsException("You have joined no pool (commons pool join URL --invite TOKEN)."),
            1 => pools[0].Url,
            _ => throw new CommonsException($"You joined {pools.Count} pools: name one with --pool ({string.Join(", ", pools.Select(p => p.Url))})."),
        };
    }

    private static async Task<T> WithPoolAsync<T>(string url, Func<PoolClient, PoolMembership, Task<T>> call)
    {
        var membership = new PoolMembershipStore(CommonsHome.FromEnvironment()).Find(url)
            ?? throw new CommonsException($"You are not a member of {url} (commons pool status lists your pools).");
        using var key = PoolMembershipStore.KeyOf(membership);
        using var http = new HttpClient { BaseAddress = new Uri(membership.Url), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            return await call(new PoolClient(http, key), membership);
        }
        catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
        {
            throw new CommonsException($"{url}: {ex.Message}", ex);
        }
    }
}
