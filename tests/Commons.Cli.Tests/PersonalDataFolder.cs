using Commons.Abstractions.Hosting;
using Commons.Abstractions.Learning;
using Commons.Personal.Hosting;

namespace Commons.Cli.Tests;

/// <summary>
/// Fills a data folder the way weeks of use would, through the personal silo in this process (no model),
/// so that a <c>commons</c> process started afterwards finds it. The silo is stopped before the process runs.
/// </summary>
internal static class PersonalDataFolder
{
    public static async Task WithSiloAsync(string home, Func<PersonalSilo, Task> arrange)
    {
        var settings = new Dictionary<string, string?> { ["Sharing:PoliciesFolder"] = Path.Combine(AppContext.BaseDirectory, "policies") };
        await using var silo = await PersonalSilo.StartAsync(new CommonsHome(home), settings, loadModel: false);
        await arrange(silo);
    }

    /// <summary>The owner confirms the same action for the same request <paramref name="times"/> times.</summary>
    public static async Task LearnAsync(PersonalSilo silo, string situation, string action, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var decision = await silo.Playbook.ChooseActionAsync(situation, [action]);
            await silo.Playbook.FeedbackAsync(decision.EpisodeId, new Feedback(FeedbackKind.Good));
        }
    }

    public static ImportedInsight Insight(string artifact, string situation, string? action, string advice = "") =>
        new(artifact, "pool.example", "ed25519:contributor-" + artifact, "calendar.reminders", situation, advice, action, 30, 3, 0.8);
}
