using System.CommandLine;
using System.Globalization;
using Commons.Abstractions.Hosting;
using Commons.Pools.Client;

namespace Commons.Cli.Commands;

/// <summary><c>commons pool moderation list|accept|remove|reinstate</c>: the admin reviews the quarantine (admin-key signed).</summary>
internal static class PoolModerationCommand
{
    public static Command Create()
    {
        var moderation = new Command("moderation", "Review what the pool's policy refused and what members reported (signed with the pool's admin key).");
        moderation.Subcommands.Add(Action("list", "List the quarantine: refused artifacts and reported insights waiting for a decision.", null));
        moderation.Subcommands.Add(Action("accept", "Accept a quarantine entry: a refused artifact is admitted, a report dismissed.", "ID"));
        moderation.Subcommands.Add(Action("remove", "Remove a quarantine entry: a reported insight is withdrawn from every member and peer; its authors get a violation.", "ID"));
        moderation.Subcommands.Add(Action("reinstate", "Lift the suspension of a member the policy's rule suspended.", "KEY"));
        return moderation;
    }

    private static Command Action(string action, string description, string? argumentName)
    {
        var command = new Command(action, description);
        var target = argumentName is null ? null : new Argument<string>(argumentName)
        {
            Description = argumentName == "ID" ? "The quarantine entry's number, as `moderation list` shows it." : "The member key (ed25519:...).",
        };
        var adminKey = PoolAdminCommands.AdminKeyOption();
        var pool = new Option<string>("--pool") { Description = "The pool's URL.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var note = new Option<string?>("--note") { Description = "A note for the audit log." };
        if (target is not null)
        {
            command.Arguments.Add(target);
        }

        command.Options.Add(adminKey);
        command.Options.Add(pool);
        if (action != "list")
        {
            command.Options.Add(note);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            long? id = null;
            string? member = null;
            if (argumentName == "ID")
            {
                id = long.TryParse(parse.GetValue(target!), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : throw new CommonsException($"{parse.GetValue(target!)} is not a quarantine entry number (see `commons pool moderation list`).");
            }
            else if (argumentName == "KEY")
            {
                member = parse.GetValue(target!)!.Trim();
            }

            using var key = PoolAdminCommands.LoadAdminKey(parse.GetValue(adminKey)!);
            var url = PoolMembershipStore.Normalise(parse.GetValue(pool)!);
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            ModerationResult result;
            try
            {
                result = await new PoolClient(http, key).ModerateAsync(new ModerationRequest(action, id, member, action == "list" ? null : parse.GetValue(note)), cancellationToken);
            }
            catch (Exception ex) when (ex is PoolApiException or HttpRequestException or TaskCanceledException)
            {
                throw new CommonsException($"{url} did not {action}: {ex.Message}", ex);
            }

            foreach (var item in result.Open)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{item.Id}  {item.Kind}  {item.Topic}  {item.InsightId}  by {item.Contributor}  {item.Reason}: {item.Detail}"));
            }

            Console.Out.WriteLine(result.Summary);
            foreach (var suspended in result.Suspended)
            {
                Console.Out.WriteLine($"suspended by the pool's policy: {suspended}");
            }

            return 0;
        });
        return command;
    }
}
