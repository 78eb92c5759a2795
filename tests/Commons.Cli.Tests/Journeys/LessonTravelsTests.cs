namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// The product's central journey, through the real <c>commons</c> executable as separate processes and
/// a real <c>commons pool serve</c> on PostgreSQL: two people teach their agents the same lesson in
/// <c>commons chat</c>, their agents share it (one topic approved by the policy, one by the person),
/// it reaches the pool with no <c>pool push</c> typed, a third person's agent stages it, tries it and says
/// why; when it goes wrong for other members and the pool withdraws it, the third agent rejects it.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed class LessonTravelsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Lesson_TaughtByTwoPeopleInChat_ReachesThePoolWithoutAPushAndAThirdAgentStagesIt()
    {
        await using var pool = await PoolHost.StartAsync(_scratch);
        try
        {
            await JourneyAsync(pool);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var serve = pool.ServeOutput;
            throw new TimeoutException($"{ex.Message}\n--- pool serve (last 4000 characters) ---\n{serve[Math.Max(0, serve.Length - 4000)..]}", ex);
        }
    }

    private async Task JourneyAsync(PoolHost pool)
    {
        var ana = new Person(_scratch, "ana");
        var ben = new Person(_scratch, "ben");
        var cat = new Person(_scratch, "cat");
        // Ben's policy asks him to approve each weather.queries insight himself; Ana's approves them automatically.
        ben.UsePolicies(s => s.Replace("  - id: weather.queries\n    min_evidence: 3\n    approval: auto", "  - id: weather.queries\n    min_evidence: 3\n    approval: required", StringComparison.Ordinal));
        foreach (var person in new[] { ana, ben, cat })
        {
            await pool.JoinAsync(person.Home);
        }

        // Ana teaches, and her agent shares it in the background while she chats.
        await using (var chat = ana.Chat())
        {
            await Person.TeachWeatherLessonAsync(chat);
            // The lesson (and, with it, that a plain reply served these questions) leaves for the pool.
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "sent") >= 1 && Person.Count(l, "waiting") == 0, Patience);

            // From another terminal while the chat runs: what the pool says of Ana's membership.
            var whileChatting = PoolHost.Succeeded(await ana.RunAsync("pool", "status"));
            Assert.Contains("a commons chat is using this data folder", whileChatting.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("member yes", whileChatting.StandardOutput, StringComparison.Ordinal);
            await Person.SayAsync(chat, "/quit");
            PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
        }

        // Ben teaches the same; his agent prepares it for his approval and waits.
        await using (var chat = ben.Chat())
        {
            await Person.TeachWeatherLessonAsync(chat);
            await Person.WaitForPoolsAsync(chat, l => Person.Count(l, "awaiting your approval:") >= 1, Patience);
            await Person.SayAsync(chat, "/quit");
            PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
        }

        var review = PoolHost.Succeeded(await ben.RunAsync("share", "review"));
        var ids = Person.ArtifactIdLine().Matches(review.StandardOutput).Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count >= 1, review.ToString());
        Assert.Contains($"would leave for {pool.Url}:", review.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(Person.WeatherLesson, review.StandardOutput, StringComparison.Ordinal);
        PoolHost.Succeeded(await ben.RunAsync(["share", "review", .. ids.SelectMany(i => new[] { "--approve", i })]));

        // Ben chats again; the approved insight leaves in the background.
        await using (var chat = ben.Chat())
        {
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "sent") == ids.Count && Person.Count(l, "waiting") == 0, Patience);
            await Person.SayAsync(chat, "/quit");
            PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
        }

        // share status and pool status say the same; the pool credited each artifact.
        var benStatus = PoolHost.Succeeded(await ben.RunAsync("share", "status"));
        Assert.Contains($"delivered: {ids.Count}", benStatus.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"pool {pool.Url}: sent {ids.Count}, waiting 0", benStatus.StandardOutput, StringComparison.Ordinal);
        var poolStatus = PoolHost.Succeeded(await ben.RunAsync("pool", "status"));
        Assert.Contains($"sent {ids.Count}  waiting 0", poolStatus.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"contributions {ids.Count}", poolStatus.StandardOutput, StringComparison.Ordinal);

        // Cat's agent pulls what the pool now serves (two members back it: k = 2) while Cat chats, tries it
        // on Cat's own question about the weather, and /why names it and the pool it came from.
        await using (var chat = cat.Chat())
        {
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "received") >= 1, Patience);
            await Person.SayAsync(chat, "what is the weather forecast for tomorrow, will it rain", "/why");
            await chat.WaitForOutputLineAsync(l => l.Contains($"imported from {pool.Url}, on trial, in the prompt", StringComparison.Ordinal)
                && l.Contains("temperature", StringComparison.Ordinal), Patience);
            await Person.SayAsync(chat, "/quit");
            PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
        }

        var staged = PoolHost.Succeeded(await cat.RunAsync("insights", "staged"));
        Assert.Contains($"from {pool.Url}/", staged.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("temperature", staged.StandardOutput, StringComparison.Ordinal);

        // Other members' agents try it too, and it goes wrong for each: their agents report so (one bit
        // each, through their privacy pipeline; their policies spend epsilon 8 a report, so the bits are
        // all but exact), and the author's reputation sinks until the pool withdraws the insight: the
        // next member's agent is not served it any more.
        var reporters = 0;
        for (var i = 0; i < 8; i++)
        {
            var member = new Person(_scratch, "member" + i);
            member.UsePolicies(s => s.Replace("epsilon_per_artifact: 0.5", "epsilon_per_artifact: 8", StringComparison.Ordinal)
                .Replace("daily_epsilon_budget: 2", "daily_epsilon_budget: 100", StringComparison.Ordinal));
            await pool.JoinAsync(member.Home);
            await using var chat = member.Chat();
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && l.Contains("since this chat began", StringComparison.Ordinal), Patience);
            var served = chat.StandardOutput.Split('\n').Any(l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "received") >= 1);
            if (!served)
            {
                await Person.SayAsync(chat, "/quit");
                PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
                break;
            }

            reporters++;
            await Person.SayAsync(chat, "what is the weather forecast for tomorrow, will it rain", "/why");
            await chat.WaitForOutputLineAsync(l => l.Contains($"imported from {pool.Url}, on trial", StringComparison.Ordinal), Patience);
            await Person.SayAsync(chat, "/bad");
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "reports sent") >= 1, Patience);
            await Person.SayAsync(chat, "/quit");
            PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
        }

        // However many it took (one member's bits can sink an author who backs two groups it tried), at least
        // one member was served it and reported, and a later one was no longer served it.
        Assert.InRange(reporters, 1, 7);

        // Cat's agent learns at its next sync that the pool withdrew it, and rejects it before trying it on Cat again.
        await using (var chat = cat.Chat())
        {
            await Person.WaitForPoolsAsync(chat, l => l.StartsWith(pool.Url, StringComparison.Ordinal) && Person.Count(l, "withdrawn") >= 1, Patience);
            await Person.SayAsync(chat, "what is the weather forecast for tomorrow, will it rain", "/why", "/quit");
            var after = await chat.WaitForExitAsync(Patience);
            PoolHost.Succeeded(after);
            var why = after.StandardOutput[after.StandardOutput.LastIndexOf("why:", StringComparison.Ordinal)..];
            Assert.DoesNotContain("imported from", why, StringComparison.Ordinal);
        }

        var rejected = PoolHost.Succeeded(await cat.RunAsync("insights", "rejected"));
        Assert.Contains("withdrawn by its pool", rejected.StandardOutput, StringComparison.Ordinal);
    }
}
