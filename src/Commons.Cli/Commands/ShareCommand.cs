using System.CommandLine;
using System.Globalization;
using System.Text;
using Commons.Abstractions.Hosting;
using Commons.Abstractions.Sharing;
using Commons.Personal.Hosting;
using Humanizer;
using Spectre.Console;

namespace Commons.Cli.Commands;

/// <summary>
/// <c>commons share prepare|review|status</c>: what the agent learned goes through the privacy
/// pipeline into an approval queue; the person sees exactly the bytes that would leave and approves or
/// denies each; approved artifacts are signed and wait in the outbox for delivery to pools.
/// </summary>
internal static class ShareCommand
{
    public static Command Create()
    {
        var share = new Command("share", "Decide what your agent shares with insight pools.");
        share.Subcommands.Add(Prepare());
        share.Subcommands.Add(Review());
        share.Subcommands.Add(Status());
        return share;
    }

    private static Command Prepare()
    {
        var folder = PolicyCommand.CreateFolderOption();
        var command = new Command("prepare", "Run what your agent learned through the privacy pipeline (policy, redaction, leak check, noise, epsilon budget) into the approval queue.") { folder };
        command.SetAction(async (parse, ct) =>
        {
            await using var silo = await QuietSilo.StartAsync(parse.GetValue(folder), ct);
            WritePreparation(await PrepareAsync(silo.Outbox()));
            return 0;
        });
        return command;
    }

    private static Command Review()
    {
        var approve = new Option<string[]>("--approve") { Description = "Approve the artifact with this id (or a unique prefix of 6 or more characters); repeatable." };
        var deny = new Option<string[]>("--deny") { Description = "Deny the artifact with this id: it is dropped and never proposed again; repeatable." };
        var folder = PolicyCommand.CreateFolderOption();
        var command = new Command("review", "Show exactly the bytes that would leave, and approve or deny each artifact (asks when run in a terminal).") { approve, deny, folder };
        command.SetAction(async (parse, ct) =>
        {
            var approvals = parse.GetValue(approve) ?? [];
            var denials = parse.GetValue(deny) ?? [];
            if (approvals.Intersect(denials, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
            {
                throw new CommonsException($"The id {both} is given to both --approve and --deny; choose one.");
            }

            await using var silo = await QuietSilo.StartAsync(parse.GetValue(folder), ct);
            var outbox = silo.Outbox();
            if (approvals.Length + denials.Length > 0)
            {
                foreach (var id in approvals)
                {
                    Apply(await outbox.ApproveAsync(id));
                }

                foreach (var id in denials)
                {
                    Apply(await outbox.DenyAsync(id));
                }

                return 0;
            }

            WritePreparation(await PrepareAsync(outbox));
            var waiting = await outbox.ListAwaitingApprovalAsync();
            if (waiting.Count == 0)
            {
                Console.Out.WriteLine("Nothing waits for your approval.");
                return 0;
            }

            var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            foreach (var item in waiting)
            {
                WriteItem(item);
                if (interactive)
                {
                    var choice = AnsiConsole.Prompt(new SelectionPrompt<string>()
                        .Title($"Share {Short(item.Id)}?")
                        .AddChoices("approve", "deny", "decide later"));
                    if (choice == "approve")
                    {
                        Apply(await outbox.ApproveAsync(item.Id));
                    }
                    else if (choice == "deny")
                    {
                        Apply(await outbox.DenyAsync(item.Id));
                    }
                }
            }

            if (!interactive)
            {
                Console.Out.WriteLine($"{"artifact".ToQuantity(waiting.Count)} {(waiting.Count == 1 ? "waits" : "wait")} for approval: commons share review --approve ID, or --deny ID.");
            }

            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var folder = PolicyCommand.CreateFolderOption();
        var command = new Command("status", "Show the policy in force, today's epsilon spending and what waits for approval or delivery.") { folder };
        command.SetAction(async (parse, ct) =>
        {
            await using var silo = await QuietSilo.StartAsync(parse.GetValue(folder), ct);
            var outbox = silo.Outbox();
            var summary = await outbox.GetSummaryAsync();
            Console.Out.WriteLine(summary.PolicyId is null
                ? $"policy: none in force, nothing leaves ({summary.PolicyProblem})"
                : $"policy: {summary.PolicyId} sha256 {summary.PolicyHash}");
            Console.Out.WriteLine($"contributor key: {summary.ContributorKeyId ?? "not created yet (made on first share prepare)"}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epsilon spent today: {summary.EpsilonSpentToday} of {(summary.DailyEpsilonBudget is { } b ? b.ToString(CultureInfo.InvariantCulture) : "?")}"));
            Console.Out.WriteLine($"awaiting approval: {summary.AwaitingApproval}, ready to deliver: {summary.ReadyToDeliver}, delivered: {summary.Delivered}, denied: {summary.Denied}");
            foreach (var pool in summary.Pools ?? [])
            {
                Console.Out.WriteLine($"pool {pool.Pool}: sent {pool.Delivered}, waiting {pool.Waiting}, refused {pool.Refused}, reports sent {pool.ReportsSent}, reports waiting {pool.ReportsWaiting}");
            }
            foreach (var refusal in summary.StandingRefusals)
            {
                Console.Out.WriteLine($"refused {refusal.Source} at {refusal.Stage}: {refusal.Reason}");
            }

            foreach (var item in await outbox.ListOutboxAsync())
            {
                Console.Out.WriteLine($"ready to deliver: {item.Id}  {item.Kind} {item.Topic}  from {item.Source}  ({item.Note})");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Runs the pipeline; a refusal of everything (the policies, the key, the known entities) is the person's to fix: exit 2.</summary>
    private static async Task<SharePreparation> PrepareAsync(IOutboxGrain outbox)
    {
        var preparation = await outbox.PrepareAsync();
        if (preparation.Refusals.FirstOrDefault(r => r.Source == "*") is { } total)
        {
            throw new CommonsException(Sentence(total.Reason));
        }

        return preparation;
    }

    private static void WritePreparation(SharePreparation preparation)
    {
        foreach (var refusal in preparation.Refusals)
        {
            Console.Out.WriteLine($"refused {refusal.Source} at {refusal.Stage}: {refusal.Reason}; nothing of it was queued");
        }

        foreach (var item in preparation.Queued)
        {
            Console.Out.WriteLine(item.State == ShareItemState.ReadyToDeliver
                ? $"ready to deliver {Short(item.Id)} ({item.Kind} {item.Topic}, from {item.Source}): {item.Note}"
                : $"awaiting approval {Short(item.Id)} ({item.Kind} {item.Topic}, from {item.Source})");
        }

        if (preparation.Candidates == 0)
        {
            // Nothing new since the last run: what waits is listed below, without a line of zeros above it.
            return;
        }

        Console.Out.WriteLine($"{"new candidate".ToQuantity(preparation.Candidates)}: {preparation.Queued.Count} prepared, {"trial report".ToQuantity(preparation.ReportsQueued)} queued, {preparation.Refusals.Count} refused.");
    }

    private static void WriteItem(ShareItem item)
    {
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{item.Id}  {item.Kind} {item.Topic}  from {item.Source}  prepared {item.Prepared.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.Out.WriteLine($"  {item.Note}");
        if (item.Copies is not { Count: > 0 } copies)
        {
            Console.Out.WriteLine($"  no pool is joined yet; signed with your contributor key, these {Encoding.UTF8.GetByteCount(item.Json)} bytes would leave (each pool you join gets them signed with its own member key):");
            Console.Out.WriteLine(item.Json);
            return;
        }

        // Each pool knows this person by its own key: only the contributor and the signature differ between copies.
        foreach (var copy in copies)
        {
            Console.Out.WriteLine($"  exactly these {Encoding.UTF8.GetByteCount(copy.Json)} bytes would leave for {copy.Pool}:");
            Console.Out.WriteLine(copy.Json);
        }
    }

    private static void Apply(ShareDecision decision)
    {
        if (!decision.Applied)
        {
            throw new CommonsException(Sentence(decision.Message));
        }

        Console.Out.WriteLine(Sentence(decision.Message));
    }

    private static string Short(string id) => id.Length <= 12 ? id : id[..12];

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");
}
