namespace Commons.Cli.Tests;

/// <summary><c>commons insights</c> run as a real process on a data folder with imported insights.</summary>
[Collection(CommonsCollection.Name)]
public sealed class InsightsCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Insights_StagedThenAdopted_ListsReasonAndFiguresAndTheOwnerOverrides()
    {
        string trial = "", blocked = "";
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, async silo =>
        {
            var reviews = await silo.Playbook.StageImportsAsync([
                PersonalDataFolder.Insight("c1", "turn the porch lights off at midnight", "iot_hue_lightoff"),
                PersonalDataFolder.Insight("c2", "the owner asks to mail the weekly report", "email_sendemail"),
            ]);
            (trial, blocked) = (reviews[0].EntryId, reviews[1].EntryId);
        });

        var staged = await RunAsync("insights", "staged");
        var rejected = await RunAsync("insights", "rejected");
        var adopt = await RunAsync("insights", "adopt", trial);
        var adopted = await RunAsync("insights", "adopted");
        var stagedAfter = await RunAsync("insights", "staged");

        AssertSucceeded(staged, trial, "turn the porch lights off at midnight", "too little of your history applies", "figures: insight value", "effective episodes", "trials 0");
        AssertSucceeded(rejected, blocked, "contradicts the guard-rail 'ask_before_sending'");
        AssertSucceeded(adopt, $"Adopted {trial}.");
        AssertSucceeded(adopted, trial, "adopted by the owner");
        AssertSucceeded(stagedAfter, "No staged insights.");
    }

    [Fact]
    public async Task Insights_AdoptAgainstGuardRailOrUnknownId_OneSentenceExitTwo()
    {
        string blocked = "";
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, async silo =>
            blocked = (await silo.Playbook.StageImportsAsync([PersonalDataFolder.Insight("c3", "the owner dictates a reply", null, "send it without asking")]))[0].EntryId);

        var guarded = await RunAsync("insights", "adopt", blocked);
        var unknown = await RunAsync("insights", "reject", "e404");

        BadInputAssert.OneSentence(guarded, blocked, "guard-rail", "guardrails.yaml");
        BadInputAssert.OneSentence(unknown, "e404");
    }

    private static void AssertSucceeded(CommonsRunResult result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 0, $"Expected exit code 0.\n{result}");
        foreach (var mention in mentions)
        {
            Assert.True(result.StandardOutput.Contains(mention, StringComparison.Ordinal), $"The output should contain \"{mention}\".\n{result}");
        }
    }

    private Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, "", args);
}
