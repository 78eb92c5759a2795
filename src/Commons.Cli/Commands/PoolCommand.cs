using System.CommandLine;

namespace Commons.Cli.Commands;

/// <summary><c>commons pool ...</c>: host a community pool, or take part in one.</summary>
internal static class PoolCommand
{
    public static Command Create()
    {
        var pool = new Command("pool", "Community insight pools: host one (serve, init-db, keygen, cluster-cert, invite, peer, policy, moderation) or take part in one (join, status, push, pull, report, audit, forget).");
        pool.Subcommands.Add(PoolServeCommand.Create());
        pool.Subcommands.Add(PoolAdminCommands.CreateInitDb());
        pool.Subcommands.Add(PoolAdminCommands.CreateKeygen());
        pool.Subcommands.Add(PoolClusterCertCommand.Create());
        pool.Subcommands.Add(PoolAdminCommands.CreateInvite());
        pool.Subcommands.Add(PoolAdminCommands.CreatePeer());
        pool.Subcommands.Add(PoolPolicyCommand.Create());
        pool.Subcommands.Add(PoolModerationCommand.Create());
        pool.Subcommands.Add(PoolMemberCommands.CreateJoin());
        pool.Subcommands.Add(PoolMemberCommands.CreateStatus());
        pool.Subcommands.Add(PoolMemberCommands.CreatePush());
        pool.Subcommands.Add(PoolMemberCommands.CreatePull());
        pool.Subcommands.Add(PoolMemberGovernanceCommands.CreateReport());
        pool.Subcommands.Add(PoolMemberGovernanceCommands.CreateAudit());
        pool.Subcommands.Add(PoolMemberGovernanceCommands.CreateForget());
        pool.Subcommands.Add(PoolBench.Create());
        return pool;
    }
}
