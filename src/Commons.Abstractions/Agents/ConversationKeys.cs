using System.Text.RegularExpressions;

namespace Commons.Abstractions.Agents;

/// <summary>The names a program may give a conversation (a header or the OpenAI <c>user</c> field).</summary>
public static partial class ConversationKeys
{
    /// <summary>The conversation <c>commons chat</c> is in now.</summary>
    public const string Current = "current";

    /// <summary>Letters, digits and <c>. _ : -</c>, 1 to 100 characters.</summary>
    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex Pattern();
}
