using Commons.Tools.Policy;

namespace Commons.Tools.Tests;

public sealed class ToolPolicyTests
{
    [Fact]
    public void Load_ShippedPolicy_ReadOnlyToolsRunAndWritesAsk()
    {
        var policy = ToolPolicyLoader.Load(Path.Combine(RepositoryRoot(), "policies", "tools.yaml"));

        Assert.Equal(ToolDecision.Allow, policy.Decide("notes_search"));
        Assert.Equal(ToolDecision.Allow, policy.Decide("calculator_evaluate"));
        Assert.Equal(ToolDecision.Confirm, policy.Decide("notes_add"));
        Assert.Equal(ToolDecision.Confirm, policy.Decide("notes_delete"));
        Assert.Equal(ToolDecision.Confirm, policy.Decide("calendar_export_ics"));
        Assert.Equal(ToolDecision.Confirm, policy.Decide("email_send"));
    }

    [Fact]
    public void Decide_DenyBeatsConfirmBeatsAllowAndWildcardsMatchPrefixes()
    {
        var policy = ToolPolicyLoader.Parse("version: 1\ntools:\n  allow: [files_*]\n  deny: [files_read]\n  default: deny\n", "t.yaml");

        Assert.Equal(ToolDecision.Allow, policy.Decide("files_list"));
        Assert.Equal(ToolDecision.Deny, policy.Decide("files_read"));
        Assert.Equal(ToolDecision.Deny, policy.Decide("notes_add"));
    }

    [Theory]
    [InlineData("version: 2\n", "version 2 is not supported")]
    [InlineData("version: 1\ntools:\n  allow: notes_search\n", "'allow' must be a list")]
    [InlineData("version: 1\ntools:\n  allow: [Notes Search]\n", "is not a tool name")]
    [InlineData("version: 1\ntools:\n  default: maybe\n", "default must be allow, confirm or deny")]
    [InlineData("version: 1\ntool: {}\n", "unknown key 'tool'")]
    [InlineData("version: 1\ntools: [\n", "not valid YAML")]
    [InlineData("version: 1\ntools:\n  allow: [notes_add]\n  confirm: [notes_add]\n", "both as allowed")]
    public void Parse_MalformedPolicy_NamesFileLineAndProblem(string yaml, string expected)
    {
        var error = Assert.Throws<ToolPolicyException>(() => ToolPolicyLoader.Parse(yaml, "tools.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("tools.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrDefault_NoFile_AsksForEverythingAndAllowsNoFolder()
    {
        var policy = ToolPolicyLoader.LoadOrDefault(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "tools.yaml"));

        Assert.Equal(ToolDecision.Confirm, policy.Decide("notes_search"));
        Assert.Empty(policy.Folders);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommonsPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found.");
    }
}
