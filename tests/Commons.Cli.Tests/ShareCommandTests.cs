using System.Text;
using Commons.Insights;

namespace Commons.Cli.Tests;

/// <summary><c>commons share</c> run as a real process on a data folder where the agent has learned something.</summary>
[Collection(CommonsCollection.Name)]
public sealed class ShareCommandTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ShareReview_ApproveOneDenyOther_ShowsTheExactBytesThenDecides()
    {
        await PersonalDataFolder.WithSiloAsync(_scratch.Home, async silo =>
        {
            await PersonalDataFolder.LearnAsync(silo, "schedule a meeting with the design team on monday", "calendar_set", 6);
            await PersonalDataFolder.LearnAsync(silo, "remind me to water the plants every evening", "reminder_set", 6);
        });

        var review = await RunAsync("share", "review");
        var reviewAgain = await RunAsync("share", "review");

        Assert.True(review.ExitCode == 0, $"Expected exit code 0.\n{review}");
        Assert.Contains("2 new candidates: 2 prepared", review.StandardOutput, StringComparison.Ordinal);
        // The second look prepares nothing new: no line of zeros above the two that still wait.
        Assert.DoesNotContain("0 new candidates", reviewAgain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 artifacts wait for approval", reviewAgain.StandardOutput, StringComparison.Ordinal);
        var shown = review.StandardOutput.Split('\n').Where(l => l.StartsWith("{\"", StringComparison.Ordinal)).ToList();
        Assert.True(shown.Count == 2, $"Expected the bytes of two artifacts.\n{review}");
        var artifacts = shown.Select(json => InsightArtifactParser.Parse(Encoding.UTF8.GetBytes(json))).ToList();
        Assert.All(artifacts, a => Assert.True(a.IsValid, a.Reason));
        // No pool is joined: the bytes shown are signed with the contributor key, and each pool joined later gets its own signature.
        Assert.Contains($"these {Encoding.UTF8.GetByteCount(shown[0])} bytes would leave (each pool you join gets them signed with its own member key):", review.StandardOutput, StringComparison.Ordinal);
        var (keep, drop) = (artifacts[0].Artifact!.Id, artifacts[1].Artifact!.Id);

        var approve = await RunAsync("share", "review", "--approve", keep[..12]);
        var deny = await RunAsync("share", "review", "--deny", drop);
        var status = await RunAsync("share", "status");
        var again = await RunAsync("share", "review");

        Assert.True(approve.ExitCode == 0 && approve.StandardOutput.Contains($"Approved {keep[..12]}", StringComparison.Ordinal), $"Approval failed.\n{approve}");
        Assert.True(deny.ExitCode == 0 && deny.StandardOutput.Contains("will not be proposed again", StringComparison.Ordinal), $"Denial failed.\n{deny}");
        Assert.True(status.ExitCode == 0 && status.StandardOutput.Contains($"ready to deliver: {keep}", StringComparison.Ordinal)
            && status.StandardOutput.Contains("denied: 1", StringComparison.Ordinal), $"Status is wrong.\n{status}");
        Assert.True(again.ExitCode == 0 && again.StandardOutput.Contains("Nothing waits for your approval.", StringComparison.Ordinal), $"The denied artifact came back.\n{again}");
    }

    [Fact]
    public async Task ShareReview_BadInput_OneSentenceExitTwo()
    {
        var missingPolicies = _scratch.PathOf("no-such-policies");

        var shortId = await RunAsync("share", "review", "--approve", "abc");
        var unknownId = await RunAsync("share", "review", "--deny", "0123456789ab");
        var both = await RunAsync("share", "review", "--approve", "0123456789ab", "--deny", "0123456789ab");
        var broken = await RunAsync("share", "prepare", "--policies", missingPolicies);

        BadInputAssert.OneSentence(shortId, "abc", "at least 6 characters");
        BadInputAssert.OneSentence(unknownId, "0123456789ab", "waits for approval");
        BadInputAssert.OneSentence(both, "--approve", "--deny");
        BadInputAssert.OneSentence(broken, missingPolicies, "nothing leaves");
    }

    private Task<CommonsRunResult> RunAsync(params string[] args) => CommonsExecutable.RunAsync(_scratch.Home, "", args);
}
