using System.Globalization;
using Commons.Personal.Agents;
using Commons.Personal.Hosting;
using Commons.Personal.Pools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary><c>/pools</c> in the chat: what the agent sent to and took from each pool, and how its last background sync went.</summary>
internal static class ChatPools
{
    public static async Task ShowAsync(PersonalSilo silo)
    {
        var summary = await silo.Outbox().GetSummaryAsync();
        var pools = summary.Pools ?? [];
        if (pools.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No pools joined (commons pool join URL --invite TOKEN).[/]");
            return;
        }

        var owner = silo.Services.GetRequiredService<IOptions<AgentOptions>>().Value.UserId;
        var sync = silo.Services.GetRequiredService<PoolSync>();
        var last = sync.LastRun(owner);
        var memberships = silo.Services.GetRequiredService<IPoolMemberships>().List(owner);
        foreach (var pool in pools)
        {
            var received = memberships.FirstOrDefault(m => m.Url == pool.Pool)?.Received ?? 0;
            var line = $"{pool.Pool}: sent {pool.Delivered}, waiting {pool.Waiting}, refused {pool.Refused}, reports sent {pool.ReportsSent}, received {received}";
            if (last is not null && sync.SessionTotals(owner, pool.Pool) is { } session)
            {
                line += string.Create(CultureInfo.InvariantCulture, $"; since this chat began: staged {session.Staged}, withdrawn {session.Withdrawn}; last sync {last.Ended.ToLocalTime():HH:mm:ss}");
                if (last.Results.FirstOrDefault(r => r.Pool == pool.Pool)?.Problem is { } problem)
                {
                    line += $" ({problem})";
                }
            }

            // Plain lines, unwrapped whatever the terminal's width: they are read (and searched) whole.
            Console.Out.WriteLine(line);
        }

        if (summary.AwaitingApproval > 0)
        {
            Console.Out.WriteLine($"awaiting your approval: {summary.AwaitingApproval} (commons share review shows exactly what would leave)");
        }

        if (last is null)
        {
            AnsiConsole.MarkupLine("[grey]No sync has run yet in this session (PoolSync:IntervalSeconds sets how often; 0 turns it off).[/]");
        }
    }
}
