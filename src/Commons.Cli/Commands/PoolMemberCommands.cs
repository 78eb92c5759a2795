using System.CommandLine;
using Commons.Abstractions.Hosting;
using Commons.Pools.Client;

namespace Commons.Cli.Commands;

/// <summary>The member's commands: <c>join</c>, <c>status</c>, <c>push</c> (deliver the outbox).</summary>
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

    /// <summary>Where a pool's outbox lives.</summary>
    public static string OutboxFolder(PoolMembershipStore store, PoolMembership membership) =>
        Path.Combine(store.Folder, "outbox", Path.GetFileNameWithoutExtension(membership.KeyFile));
}
