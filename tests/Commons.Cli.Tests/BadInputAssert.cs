namespace Commons.Cli.Tests;

/// <summary>
/// What a person must see when they give <c>commons</c> bad input: exit code 2 and one sentence
/// on standard error that names the culprit, never a stack trace.
/// </summary>
internal static class BadInputAssert
{
    public const int BadInputExitCode = 2;

    /// <summary>Asserts the failure shape; each of <paramref name="mentions"/> must appear in the sentence.</summary>
    public static string OneSentence(CommonsRunResult result, params string[] mentions)
    {
        Assert.True(result.ExitCode == BadInputExitCode, $"Expected exit code {BadInputExitCode}.\n{result}");
        Assert.False(result.AllOutput.Contains("   at ", StringComparison.Ordinal), $"A stack trace was printed.\n{result}");
        Assert.False(result.AllOutput.Contains("Exception", StringComparison.Ordinal), $"An exception name was printed.\n{result}");

        var sentence = result.StandardError.Trim();
        Assert.False(sentence.Length == 0, $"Nothing was printed on standard error.\n{result}");
        Assert.False(sentence.Contains('\n', StringComparison.Ordinal), $"Standard error should be one line.\n{result}");
        foreach (var mention in mentions)
        {
            Assert.True(sentence.Contains(mention, StringComparison.Ordinal), $"Standard error should mention \"{mention}\".\n{result}");
        }

        return sentence;
    }

    /// <summary>Asserts that a file the person had is still there, byte for byte.</summary>
    public static void Unchanged(string path, byte[] before)
    {
        Assert.True(File.Exists(path), $"{path} is gone.");
        var after = File.ReadAllBytes(path);
        Assert.True(before.AsSpan().SequenceEqual(after), $"{path} was changed ({before.Length} bytes before, {after.Length} after).");
    }
}
