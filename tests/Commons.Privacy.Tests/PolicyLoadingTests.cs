using Commons.Privacy.Policies;

namespace Commons.Privacy.Tests;

public sealed class PolicyLoadingTests : IDisposable
{
    private readonly string _folder = ShippedPolicies.CopyToTemp();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_ShippedPolicies_EveryExamplePasses()
    {
        var outcomes = PolicyExampleRunner.Run(ShippedPolicies.Set.Value);

        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, o => Assert.True(o.Passed, $"{o.Example.RuleId} at {o.Example.Location}: expected '{o.Example.Expected}', got '{o.Actual}'"));
    }

    [Fact]
    public void Load_ShippedPolicies_HasIdAndContentHash()
    {
        var set = ShippedPolicies.Set.Value;

        Assert.Equal("commons-default", set.Id);
        Assert.Matches("^[0-9a-f]{64}$", set.Hash);
        Assert.True(set.Redaction.Vocabulary.Words.Count > 30_000);
    }

    [Fact]
    public void Load_InvalidYaml_FailsWithFileAndLine()
    {
        File.AppendAllText(Path.Combine(_folder, "sharing.yaml"), "\ntopics: [unclosed\n");

        var error = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(_folder));

        Assert.Contains(error.Errors, e => e.Location.File.EndsWith("sharing.yaml", StringComparison.Ordinal) && e.Location.Line > 0);
    }

    [Fact]
    public void Load_UnknownKey_NamesTheKeyAndLine()
    {
        var path = Path.Combine(_folder, "sharing.yaml");
        var lines = File.ReadAllLines(path).ToList();
        var line = lines.FindIndex(l => l.StartsWith("epsilon_per_artifact", StringComparison.Ordinal));
        lines.Insert(line, "epsilon_per_artefact: 3");
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(_folder));

        var problem = Assert.Single(error.Errors);
        Assert.Equal(line + 1, problem.Location.Line);
        Assert.Contains("epsilon_per_artefact", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"sharing.yaml:{line + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadRegex_NamesThePatternLine()
    {
        var path = Path.Combine(_folder, "redaction.yaml");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("pattern: '\\b(?!000", "pattern: '(unclosed\\b(?!000", StringComparison.Ordinal));

        var error = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(_folder));

        Assert.Contains(error.Errors, e => e.Message.Contains("regular expression", StringComparison.Ordinal) && e.Location.Line > 0);
    }

    [Fact]
    public void Load_RuleWithoutExamples_IsRejected()
    {
        var path = Path.Combine(_folder, "sharing.yaml");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..text.IndexOf("examples:", StringComparison.Ordinal)]);

        var error = Assert.Throws<PolicyLoadException>(() => PolicySet.Load(_folder));

        Assert.Contains(error.Errors, e => e.Message.Contains("'examples' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ExampleThatNoLongerHolds_FailsWithRuleAndLine()
    {
        var path = Path.Combine(_folder, "redaction.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("output: \"Mail [EMAIL] today\"", "output: \"Mail [MAIL] today\"", StringComparison.Ordinal));

        var failures = PolicyExampleRunner.Run(PolicySet.Load(_folder)).Where(o => !o.Passed).ToList();

        var failure = Assert.Single(failures);
        Assert.Equal("email", failure.Example.RuleId);
        Assert.True(failure.Example.Location.Line > 0);
    }

    [Fact]
    public void GetCurrent_PolicyEdited_TakesEffectWithoutRestart()
    {
        var provider = new PolicyProvider(_folder);
        var before = provider.GetCurrent();
        var path = Path.Combine(_folder, "sharing.yaml");
        File.WriteAllText(path, File.ReadAllText(path).Replace("epsilon_per_artifact: 0.5", "epsilon_per_artifact: 0.25", StringComparison.Ordinal));

        var after = provider.GetCurrent();

        Assert.NotEqual(before.Hash, after.Hash);
        Assert.Equal(0.25m, after.Sharing.EpsilonPerArtifact);
        Assert.Same(after, provider.GetCurrent());
    }

    [Fact]
    public void GetCurrent_PolicyBrokenAfterLoad_ThrowsInsteadOfServingTheOldOne()
    {
        var provider = new PolicyProvider(_folder);
        provider.GetCurrent();
        File.WriteAllText(Path.Combine(_folder, "sharing.yaml"), "version: 1\nid: [\n");

        Assert.Throws<PolicyLoadException>(provider.GetCurrent);
    }

    [Theory]
    [InlineData("calendar.scheduling", 7, "needs-approval")]
    [InlineData("calendar.scheduling", 4, "refused")]
    [InlineData("weather.queries", 3, "auto")]
    [InlineData("health.symptoms", 500, "refused")]
    [InlineData("shopping.lists", 50, "refused")]
    public void Decide_TopicAndEvidence_FollowsSharingPolicy(string topic, long evidence, string expected)
    {
        Assert.Equal(expected, ShippedPolicies.Set.Value.Sharing.Decide(topic, evidence).Outcome);
    }
}
