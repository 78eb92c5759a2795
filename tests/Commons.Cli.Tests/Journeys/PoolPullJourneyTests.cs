using System.Text.RegularExpressions;

namespace Commons.Cli.Tests.Journeys;

/// <summary>
/// The README's first steps with a pool, through the real <c>commons</c> executable and a real
/// <c>commons pool serve</c> on PostgreSQL (k = 2): a member's first pull, before any group has k
/// backers, says why nothing was staged; a push to the pool once it is down says it could not reach it.
/// </summary>
[Collection(CommonsCollection.Name)]
public sealed partial class PoolPullJourneyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Pull_NothingServedYet_SaysWhyWithThePoolsK_AndPushToAStoppedPoolFails()
    {
        var ana = new Person(_scratch, "ana");
        string url;
        await using (var pool = await PoolHost.StartAsync(_scratch))
        {
            url = pool.Url;
            await pool.JoinAsync(ana.Home);

            var pulled = PoolHost.Succeeded(await ana.RunAsync("pool", "pull"));
            Assert.Contains($"{url}: staged 0 insights; nothing is served yet in calendar.scheduling,", pulled.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("weather.queries: a group of insights is served once 2 distinct members back it (this pool's k is 2)", pulled.StandardOutput, StringComparison.Ordinal);

            var one = PoolHost.Succeeded(await ana.RunAsync("pool", "pull", "--topic", "weather.queries"));
            Assert.Contains("nothing is served yet in weather.queries: ", one.StandardOutput, StringComparison.Ordinal);

            var pushed = PoolHost.Succeeded(await ana.RunAsync("pool", "push"));
            Assert.Contains($"{url}: sent 0, refused 0, still waiting 0, reports sent 0", pushed.StandardOutput, StringComparison.Ordinal);
        }

        // The pool's silo has stopped: nothing waits to be sent, and still the push says it reached no pool.
        var down = await ana.RunAsync("pool", "push");
        BadInputAssert.OneSentence(down, url, "could not be reached");
    }

    [Fact]
    public async Task TwoPeople_AtK2_TheFirstPullSaysWhyNothingIsServed_OnceBothShareTheLessonEachStagesIt()
    {
        await using var pool = await PoolHost.StartAsync(_scratch);
        try
        {
            // As README.md's two-person pool: background sync off, so each push and pull is the person's own.
            var ana = Quiet(new Person(_scratch, "ana"));
            var ben = Quiet(new Person(_scratch, "ben"));
            await pool.JoinAsync(ana.Home);
            await pool.JoinAsync(ben.Home);

            await TeachAsync(ana);
            Assert.Matches($"{Regex.Escape(pool.Url)}: sent [1-9]", PoolHost.Succeeded(await ana.RunAsync("pool", "push")).StandardOutput);

            // One member backs the lesson: below k, nothing is served, and Ben's pull says so.
            var early = PoolHost.Succeeded(await ben.RunAsync("pool", "pull")).StandardOutput;
            Assert.Contains("staged 0 insights; nothing is served yet in", early, StringComparison.Ordinal);
            Assert.Contains("(this pool's k is 2)", early, StringComparison.Ordinal);

            await TeachAsync(ben);
            Assert.Matches($"{Regex.Escape(pool.Url)}: sent [1-9]", PoolHost.Succeeded(await ben.RunAsync("pool", "push")).StandardOutput);

            foreach (var person in new[] { ben, ana })
            {
                var pulled = PoolHost.Succeeded(await person.RunAsync("pool", "pull")).StandardOutput;
                Assert.Matches(StagedSome(), pulled);
                Assert.Contains(Person.WeatherLesson, PoolHost.Succeeded(await person.RunAsync("insights", "staged")).StandardOutput, StringComparison.Ordinal);
                Assert.Contains("staged 0 insights; nothing new since the last pull", PoolHost.Succeeded(await person.RunAsync("pool", "pull")).StandardOutput, StringComparison.Ordinal);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Xunit.Sdk.XunitException)
        {
            var serve = pool.ServeOutput;
            throw new InvalidOperationException($"{ex.Message}\n--- pool serve (last 3000 characters) ---\n{serve[Math.Max(0, serve.Length - 3000)..]}", ex);
        }
    }

    private static Person Quiet(Person person)
    {
        File.WriteAllText(Path.Combine(person.Home, "settings.json"), """{ "PoolSync": { "IntervalSeconds": 0 } }""");
        return person;
    }

    /// <summary>The weather lesson in <c>commons chat</c>, which then ends.</summary>
    private static async Task TeachAsync(Person person)
    {
        await using var chat = person.Chat();
        await Person.TeachWeatherLessonAsync(chat);
        await Person.SayAsync(chat, "/quit");
        PoolHost.Succeeded(await chat.WaitForExitAsync(Patience));
    }

    /// <summary>"staged 1 insight" or "staged 3 insights": at least one, and the noun agrees with the count.</summary>
    [GeneratedRegex(@": staged (1 insight\b(?!s)|([2-9]|[1-9]\d+) insights)")]
    private static partial Regex StagedSome();
}
