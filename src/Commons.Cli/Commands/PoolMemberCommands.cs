using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Insights;
using Commons.Pools.Client;
using Commons.Privacy.Policies;
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
            try
            {
                var status = await new PoolClient(http, key).JoinAsync(parse.GetValue(invite)!.Trim(), cancellationToken);
                var previous = store.Find(poolUrl);
                store.Save(new PoolMembership(poolUrl, key.KeyId, keyFile, previous?.JoinedAt ?? DateTimeOffset.UtcNow, previous?.Sent ?? 0, previous?.Received ?? 0));
                Console.Out.WriteLine($"joined {poolUrl} as {status.Key}");
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

            foreach (var membership in pools)
            {
                var outbox = new PoolOutbox(OutboxFolder(store, membership));
                var line = $"{membership.Url}  key {membership.MemberKey}  joined {membership.JoinedAt:u}  sent {outbox.SentCount}  waiting {outbox.PendingCount}  rejected {outbox.RejectedCount}  received {membership.Received}";
                using var key = PoolMembershipStore.KeyOf(membership);
                using var http = new HttpClient { BaseAddress = new Uri(membership.Url), Timeout = TimeSpan.FromSeconds(10) };
                try
                {
                    var me = await new PoolClient(http, key).GetMeAsync(cancellationToken);
                    line += $"  member {(me.IsMember ? "yes" : "no")}  contributions {me.Contributions}  credit {me.Balance}  free reads left {me.FreeReadsLeft}  reputation {me.Reputation:F2}";
                }
                catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
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
        var command = new Command("push", "Deliver the artifacts waiting in the outboxes, with retry and backoff.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = new PoolMembershipStore(CommonsHome.FromEnvironment());
            foreach (var membership in store.List())
            {
                using var key = PoolMembershipStore.KeyOf(membership);
                using var http = new HttpClient { BaseAddress = new Uri(membership.Url), Timeout = TimeSpan.FromSeconds(30) };
                var delivery = await new PoolOutbox(OutboxFolder(store, membership)).DeliverAsync(new PoolClient(http, key), cancellationToken);
                store.Save(membership with { Sent = membership.Sent + delivery.Sent });
                Console.Out.WriteLine($"{membership.Url}: sent {delivery.Sent}, rejected {delivery.Rejected}, still waiting {delivery.Waiting}");
            }

            return 0;
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
            var pools = store.List();
            if (pools.Count == 0)
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
            var topics = chosen ?? silo.Services.GetRequiredService<PolicyProvider>().GetCurrent().Sharing.Topics.Select(t => t.Id).ToArray();

            foreach (var membership in pools)
            {
                using var key = PoolMembershipStore.KeyOf(membership);
                using var http = new HttpClient { BaseAddress = new Uri(membership.Url), Timeout = TimeSpan.FromSeconds(30) };
                var client = new PoolClient(http, key);
                PullResult pulled;
                try
                {
                    pulled = await PoolInbox.PullAsync(client, membership.Url, topics, membership.Cursors,
                        imports => silo.Playbook.StageImportsAsync(imports), cancellationToken);
                }
                catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
                {
                    Console.Out.WriteLine($"{membership.Url}: not pulled ({ex.Message})");
                    continue;
                }

                store.Save(membership with { Received = membership.Received + pulled.Staged, Cursors = pulled.Cursors });
                // Then what the pool has withdrawn of what is still under review here, before it is tried.
                int? withdrawn;
                try
                {
                    var gone = await PoolInbox.WithdrawnAsync(client.WithdrawnAsync, await silo.Playbook.ListImportsAsync(membership.Url), cancellationToken);
                    withdrawn = await silo.Playbook.WithdrawImportsAsync(membership.Url, gone);
                }
                catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
                {
                    Console.Out.WriteLine($"{membership.Url}: could not check for withdrawn insights ({ex.Message})");
                    withdrawn = null;
                }
                var line = $"{membership.Url}: staged {pulled.Staged} insights from {topics.Length} topics";
                if (pulled.Refused > 0)
                {
                    line += $", refused {pulled.Refused} whose signed artifact did not verify";
                }

                if (withdrawn is > 0)
                {
                    line += $", rejected {withdrawn} staged earlier that the pool has withdrawn";
                }

                Console.Out.WriteLine(pulled.StoppedBecause is null ? line : $"{line}; stopped: {pulled.StoppedBecause}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Where a pool's outbox lives.</summary>
    public static string OutboxFolder(PoolMembershipStore store, PoolMembership membership) =>
        Path.Combine(store.Folder, "outbox", Path.GetFileNameWithoutExtension(membership.KeyFile));
}
