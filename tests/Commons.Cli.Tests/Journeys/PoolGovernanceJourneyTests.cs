using System.Text.RegularExpressions;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// A pool's governance through the real <c>commons</c> executable as separate processes, with real
/// <c>commons pool serve</c> processes on PostgreSQL running under policies their admins signed: the
/// agent delivers only what each pool takes; a member reports an insight, the admin removes it and the
/// member's agent rejects it; a member is forgotten by its pool, by an importer and by a peer pool.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed partial class PoolGovernanceJourneyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task PoolPolicy_AgentReadsEachPoolsSignedPolicy_AndDeliversOnlyWhatThatPoolTakes()
    {
        await using var open = await GovernedPoolHost.StartAsync(_scratch, "weather-pool", k: 1);
        await using var strict = await GovernedPoolHost.StartAsync(_scratch, "no-weather-pool", k: 1,
            s => s.Replace("  - id: weather.queries\n    min_evidence: 3\n    approval: auto\n", "", StringComparison.Ordinal)
                .Replace("never_shared: [health,", "never_shared: [weather, health,", StringComparison.Ordinal));
        await WithServeOutputAsync([open, strict], async () =>
        {
            var ana = new Person(_scratch, "ana");
            var joinedOpen = await open.JoinAsync(ana.Home);
            var joinedStrict = await strict.JoinAsync(ana.Home);
            Assert.Contains("the pool's policy v1 (signed by ed25519:", joinedOpen.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("never shared: weather, health", joinedStrict.StandardOutput, StringComparison.Ordinal);

            // Ana teaches; her agent delivers to the pool that takes weather insights and keeps them from the one that never shares weather.
            await using (var chat = ana.Chat())
            {
                await Person.TeachWeatherLessonAsync(chat);
                await Person.WaitForPoolsAsync(chat, l => l.StartsWith(open.Url, StringComparison.Ordinal) && Person.Count(l, "sent") >= 1 && Person.Count(l, "waiting") == 0, Patience);
                await Person.WaitForPoolsAsync(chat, l => l.StartsWith(strict.Url, StringComparison.Ordinal) && Person.Count(l, "refused") >= 1, Patience);
                await Person.SayAsync(chat, "/quit");
                PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
            }

            var status = PoolHost.Succeeded(await ana.RunAsync("pool", "status")).StandardOutput.Split('\n');
            var strictLine = Assert.Single(status, l => l.StartsWith(strict.Url, StringComparison.Ordinal));
            Assert.Equal(0, Person.Count(strictLine, "sent"));
            Assert.True(Person.Count(strictLine, "refused") >= 1, strictLine);
            Assert.True(Person.Count(Assert.Single(status, l => l.StartsWith(open.Url, StringComparison.Ordinal)), "sent") >= 1);
            // Nothing reached the strict pool: its quarantine of refused arrivals is empty.
            Assert.Contains("0 in quarantine", (await strict.AdminAsync("moderation", "list")).StandardOutput, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Moderation_ReportedInsightRemovedByTheAdmin_IsRejectedByTheAgentThatStagedIt()
    {
        await using var pool = await GovernedPoolHost.StartAsync(_scratch, "moderated-pool", k: 1);
        await WithServeOutputAsync([pool], async () =>
        {
            var ana = new Person(_scratch, "ana");
            var cat = new Person(_scratch, "cat");
            await pool.JoinAsync(ana.Home);
            await pool.JoinAsync(cat.Home);
            await TeachAndDeliverAsync(ana, pool.Url);

            var pulled = PoolHost.Succeeded(await cat.RunAsync("pool", "pull"));
            Assert.Matches($"{Regex.Escape(pool.Url)}: staged [1-9]", pulled.StandardOutput);
            var staged = PoolHost.Succeeded(await cat.RunAsync("insights", "staged"));
            var entry = EntryIdLine().Match(staged.StandardOutput).Groups[1].Value;

            var report = PoolHost.Succeeded(await cat.RunAsync("pool", "report", entry, "--reason", "wrong", "--note", "it did not help me"));
            Assert.Contains($"reported {entry} to {pool.Url} as wrong: quarantine entry", report.StandardOutput, StringComparison.Ordinal);
            var quarantineId = Regex.Match(report.StandardOutput, @"quarantine entry (\d+)").Groups[1].Value;
            var listed = await pool.AdminAsync("moderation", "list");
            Assert.Contains($"{quarantineId}  report  weather.queries", listed.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("wrong: it did not help me", listed.StandardOutput, StringComparison.Ordinal);

            var removed = await pool.AdminAsync("moderation", "remove", quarantineId, "--note", "misleading");
            Assert.Contains("withdrawn from members and peers", removed.StandardOutput, StringComparison.Ordinal);

            // Cat's agent learns at its next pull that the pool withdrew it, and rejects it before trying it on Cat.
            var next = PoolHost.Succeeded(await cat.RunAsync("pool", "pull"));
            Assert.Matches("rejected [1-9]\\d* staged earlier that the pool has withdrawn", next.StandardOutput);
            var rejected = PoolHost.Succeeded(await cat.RunAsync("insights", "rejected"));
            Assert.Contains(entry + "  rejected", rejected.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("withdrawn by its pool", rejected.StandardOutput, StringComparison.Ordinal);

            // Every member can read what the admin did.
            var audit = PoolHost.Succeeded(await ana.RunAsync("pool", "audit"));
            Assert.Contains("  remove  weather.queries/", audit.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("misleading", audit.StandardOutput, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Forget_WithdrawsFromAnImporterAndFromAPeerPoolsMember_WithASignedReceipt()
    {
        await using var origin = await GovernedPoolHost.StartAsync(_scratch, "origin-pool", k: 1);
        await using var peer = await GovernedPoolHost.StartAsync(_scratch, "peer-pool", k: 1);
        await WithServeOutputAsync([origin, peer], async () =>
        {
            var ana = new Person(_scratch, "ana");
            var cat = new Person(_scratch, "cat");
            var dan = new Person(_scratch, "dan");
            await origin.JoinAsync(ana.Home);
            await origin.JoinAsync(cat.Home);
            await peer.JoinAsync(dan.Home);
            await TeachAndDeliverAsync(ana, origin.Url);

            // The peer pool follows the origin; Cat (at the origin) and Dan (at the peer) stage Ana's insight.
            var peerInvite = (await origin.AdminAsync("invite", "--peer")).StandardOutput.Trim();
            await peer.AdminAsync("peer", "add", origin.Url, "--invite", peerInvite);
            Assert.Matches("staged [1-9]", PoolHost.Succeeded(await cat.RunAsync("pool", "pull")).StandardOutput);
            Assert.Matches("staged [1-9]", PoolHost.Succeeded(await dan.RunAsync("pool", "pull")).StandardOutput);

            var forgot = PoolHost.Succeeded(await ana.RunAsync("pool", "forget"));
            Assert.Matches($"{Regex.Escape(origin.Url)} forgot ed25519:\\S+: [1-9]\\d* artifacts? withdrawn in 1 topic; [1-9]\\d* groups? aggregated again without them, [1-9]\\d* no longer served \\(below k\\); 1 peer pool follows its withdrawals", forgot.StandardOutput);
            Assert.Contains("signed by the pool's receipt key ed25519:", forgot.StandardOutput, StringComparison.Ordinal);

            Assert.Matches("rejected [1-9]\\d* staged earlier that the pool has withdrawn", PoolHost.Succeeded(await cat.RunAsync("pool", "pull")).StandardOutput);
            var danRejected = false;
            for (var attempt = 0; attempt < 30 && !danRejected; attempt++)
            {
                danRejected = Regex.IsMatch(PoolHost.Succeeded(await dan.RunAsync("pool", "pull")).StandardOutput, "rejected [1-9]\\d* staged earlier that the pool has withdrawn");
                await Task.Delay(danRejected ? 0 : 1000);
            }

            Assert.True(danRejected, "the peer pool's member rejected the forgotten member's insight");
            Assert.Contains("withdrawn by its pool", PoolHost.Succeeded(await dan.RunAsync("insights", "rejected")).StandardOutput, StringComparison.Ordinal);
            Assert.Contains("  forget  ", PoolHost.Succeeded(await cat.RunAsync("pool", "audit")).StandardOutput, StringComparison.Ordinal);
        });
    }

    /// <summary>The lesson: a question, a correction, then three near-repeats that the person confirms.</summary>
    /// <summary>The person teaches in <c>commons chat</c> until their agent has delivered to <paramref name="pool"/>.</summary>
    private static async Task TeachAndDeliverAsync(Person person, string pool)
    {
        await using var chat = person.Chat();
        await Person.TeachWeatherLessonAsync(chat);
        await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool, StringComparison.Ordinal) && Person.Count(l, "sent") >= 1 && Person.Count(l, "waiting") == 0, Patience);
        await Person.SayAsync(chat, "/quit");
        PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
    }

    private static async Task WithServeOutputAsync(GovernedPoolHost[] hosts, Func<Task> journey)
    {
        try
        {
            await journey();
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Xunit.Sdk.XunitException)
        {
            var serves = string.Join("\n", hosts.Select(h => $"--- {h.Url} (last 3000 characters) ---\n{h.ServeOutput[Math.Max(0, h.ServeOutput.Length - 3000)..]}"));
            throw new InvalidOperationException($"{ex.Message}\n{serves}", ex);
        }
    }

    [GeneratedRegex(@"^(\S+)  (?:waiting|trial)", RegexOptions.Multiline)]
    private static partial Regex EntryIdLine();
}
