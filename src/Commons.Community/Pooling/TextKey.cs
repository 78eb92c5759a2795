using System.Security.Cryptography;
using System.Text;

namespace Commons.Community.Pooling;

/// <summary>
/// The normalised text of an artifact (situation and advice/action, lower case, letters and digits
/// only): artifacts with the same key say the same thing without any embedding.
/// </summary>
public static class TextKey
{
    /// <summary>The text that is embedded for grouping and matching.</summary>
    public static string Display(string situation, string? advice, string? action) =>
        (situation + "\n" + advice + (action is null ? "" : " [" + action + "]")).Trim();

    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>A short stable id for a group, from the normalised text that founded it.</summary>
    public static string GroupId(string normalised) =>
        "g" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)).AsSpan(0, 10));
}
