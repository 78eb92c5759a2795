using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Insights;
using Commons.Personal.Hosting;
using Commons.Personal.Pools;
using Commons.Pools.Client;
using Humanizer;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Cli.Commands;

/// <summary>The member's commands: <c>join</c>, <c>status</c>, <c>push</c> (deliver the outbox), <c>pull</c> (stage what pools serve).</summary>
internal static class PoolMemberCommands
{
    public static Command CreateJoin()
    {
        var command = new Command("join", "Join a pool with an invite; a member key for that pool is created in $COMMONS_HOME/pools.");
        var url = new Argument<string>("url") { Description = "The pool's URL." };
        var invite = new Option<string>("--invite") { Description = "The invite token from the pool's admin.", Required = true };
        command.Arguments.Add(url);
        command.Options.Add(invite);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var home = CommonsHome.FromEnvironment().EnsureUsable();
            var store = new PoolMembershipStore(home);
            var poolUrl = PoolMembershipStore.Normalise(parse.GetValue(url)!);
            using var key = store.KeyFor(poolUrl, out var keyFile);
            using var http = new HttpClient { BaseAddress = new Uri(poolUrl), Timeout = TimeSpan.FromSeconds(30) };
            var token = parse.GetValue(invite)!.Trim();
            var poolKey = InviteToken.TryRead(token, out var inviteProblem)?.PoolKey
                ?? throw new CommonsException($"Could not join {poolUrl}: {inviteProblem}");
            try
            {
                // The pool's own rules first, signed by the admin key the invite names: what it will take.
                var client = new PoolClient(http, key);
                var (policy, problem) = PoolPolicyCheck.Verified(await client.GetPolicyAsync(cancellationToken), poolKey);
                if (problem is not null)
                {
                    throw new CommonsException($"Not joining {poolUrl}: {problem}.");
                }

                var status = await client.JoinAsync(token, cancellationToken);
                var previous = store.Find(poolUrl);
                store.Save(new PoolMembership(poolUrl, key.KeyId, keyFile, previous?.JoinedAt ?? DateTimeOffset.UtcNow, previous?.Sent ?? 0, previous?.Received ?? 0, null, poolKey));
                Console.Out.WriteLine($"joined {poolUrl} as {status.Key}");
                Console.Out.WriteLine(policy is null
                    ? "the pool has no signed policy of its own: it takes any artifact a member signs"
                    : $"the pool's policy v{policy.Version} (signed by {policy.AdminKey}), checked before each delivery:\n{PoolPolicyCommand.Describe(policy)}");
                return 0;
            }
            catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
            {
                throw new CommonsException($"Could not join {poolUrl}: {ex.Message}", ex);
            }
        });
        return command;
    }

    public static Command CreateStatus()
    {
        var command = new Command("status", "Show the pools you belong to: membership, credit, and what was sent and received.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var home = CommonsHome.FromEnvironment();
            var store = new PoolMembershipStore(home);
            var pools = store.List();
            if (pools.Count == 0)
            {
                Console.Out.WriteLine("no pools joined (commons pool join URL --invite TOKEN)");
                return 0;
            }

            // The counts are the outbox's, so that this and 'commons share status' say the same. While a chat
            // holds the data folder they are the chat's to show (/pools); what the pools say is shown anyway.
            // A running 'commons serve' is attached to, counts and all.
            var inUse = PersonalSilo.IsInUse(home) && ServeRegistration.Find(home) is null;
            if (inUse)
            {
                Console.Out.WriteLine("a commons chat is using this data folder: /pools there shows what was sent; here is what each pool says");
            }

            await using var silo = inUse ? null : await QuietSilo.StartAsync(null, cancellationToken);
            var counts = silo is null ? [] : (await silo.Outbox().GetSummaryAsync()).Pools ?? [];
            foreach (var membership in pools)
            {
                var sent = counts.FirstOrDefault(c => c.Pool == membership.Url);
                var line = silo is null
                    ? $"{membership.Url}  key {membership.MemberKey}  joined {membership.JoinedAt:u}  received {membership.Received}"
                    : $"{membership.Url}  key {membership.MemberKey}  joined {membership.JoinedAt:u}  sent {sent?.Delivered ?? 0}  waiting {sent?.Waiting ?? 0}  refused {sent?.Refused ?? 0}  reports sent {sent?.ReportsSent ?? 0}  received {membership.Received}";
                using var key = PoolMembershipStore.KeyOf(membership);
                using var plain = silo is null ? new HttpClient { BaseAddress = new Uri(membership.Url), Timeout = TimeSpan.FromSeconds(10) } : null;
                try
                {
                    var transport = silo?.Services.GetRequiredService<IPoolTransportFactory>().Open(membership, key) ?? new PoolClient(plain!, key);
                    var me = await transport.GetMeAsync(cancellationToken);
                    line += $"  member {(me.IsMember ? "yes" : "no")}  contributions {me.Contributions}  credit {me.Balance}  free reads left {me.FreeReadsLeft}  reputation {me.Reputation:F2}";
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    line += $"  (pool unreachable: {ex.Message})";
                }

                Console.Out.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    public static Command CreatePush()
    {
        var command = new Command("push", "Deliver now what waits for your pools (approved artifacts and trial reports); commons chat does this in the background.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = new PoolMembershipStore(CommonsHome.FromEnvironment());
            foreach (var membership in store.List())
            {
                // A lost member key is the person's to fix before anything starts.
                PoolMembershipStore.KeyOf(membership).Dispose();
            }

            await using var silo = await QuietSilo.StartAsync(null, cancellationToken);
            var results = await silo.SyncPoolsAsync(PoolSyncSteps.Push, null, cancellationToken);
            if (results.Count == 0)
            {
                Console.Out.WriteLine("no pools joined (commons pool join URL --invite TOKEN)");
                return 0;
            }

            foreach (var result in results)
            {
                if (result.Problem is not null && result.Delivered + result.Refused + result.Waiting + result.ReportsSent + result.ReportsWaiting == 0)
                {
                    continue;
                }

                var line = $"{result.Pool}: sent {result.Delivered}, refused {result.Refused}, still waiting {result.Waiting}, reports sent {result.ReportsSent}";
                foreach (var refusal in result.Refusals.Distinct())
                {
                    line += $"\n  refused: {refusal}";
                }

                Console.Out.WriteLine(line);
            }

            return ProblemsToError(results);
        });
        return command;
    }

    public static Command CreatePull()
    {
        var command = new Command("pull", "Stage the insights your pools serve for the topics you share (commons insights staged lists them); each page read spends the pool's allowance or your credit.");
        var topic = new Option<string[]>("--topic") { Description = "Pull only these topics (default: every topic of your sharing policy)." };
        command.Options.Add(topic);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = new PoolMembershipStore(CommonsHome.FromEnvironment());
            if (store.List().Count == 0)
            {
                Console.Out.WriteLine("no pools joined (commons pool join URL --invite TOKEN)");
                return 0;
            }

            var chosen = parse.GetValue(topic) is { Length: > 0 } given ? given : null;
            if (chosen?.FirstOrDefault(t => !InsightLimits.IsValidTopic(t)) is { } bad)
            {
                throw new CommonsException($"{bad} is not a topic name (letters, digits and dots, such as calendar.scheduling).");
            }

            await using var silo = await QuietSilo.StartAsync(null, cancellationToken);
            var results = await silo.SyncPoolsAsync(PoolSyncSteps.Pull, chosen, cancellationToken);
            foreach (var result in results)
            {
                if (result.Problem is not null && result.Staged == 0)
                {
                    continue;
                }

                var line = $"{result.Pool}: staged {"insight".ToQuantity(result.Staged)}";
                if (result.Unverifiable > 0)
                {
                    line += $", refused {result.Unverifiable} whose signed artifact did not verify";
                }

                if (result.Withdrawn > 0)
                {
                    line += $", rejected {result.Withdrawn} staged earlier that the pool has withdrawn";
                }

                if (result.PullStoppedBecause is not null)
                {
                    line += $"; stopped: {result.PullStoppedBecause}";
                }

                if (result.NothingStagedBecause is not null)
                {
                    line += $"; {result.NothingStagedBecause}";
                }

                Console.Out.WriteLine(line);
            }

            return ProblemsToError(results);
        });
        return command;
    }

    /// <summary>A pool that could not be reached is one sentence on standard error (exit 2); what did get through was printed.</summary>
    private static int ProblemsToError(IReadOnlyList<PoolSyncResult> results)
    {
        foreach (var result in results.Where(r => r.Problem is not null))
        {
            CommandRunner.WriteError($"{result.Pool}: {result.Problem}");
        }

        return results.Any(r => r.Problem is not null) ? CommandRunner.BadInput : 0;
    }
}
