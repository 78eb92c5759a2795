using System.ComponentModel.DataAnnotations;

namespace Commons.Personal.Sharing;

/// <summary>Where the policies are and how entries are matched to sharing topics; bound from the <c>Sharing</c> section.</summary>
public sealed class SharingOptions
{
    public const string SectionName = "Sharing";

    /// <summary>
    /// The policies folder (redaction, sharing, guard-rails). Empty: <c>COMMONS_POLICIES</c>, else
    /// <c>$COMMONS_HOME/policies</c> when it exists, else the policies shipped beside the program.
    /// </summary>
    public string? PoliciesFolder { get; set; }

    /// <summary>Cosine similarity an entry needs to its closest topic before it is proposed under that topic at all.</summary>
    [Range(0.0, 1.0)]
    public double TopicMinSimilarity { get; set; } = 0.3;

    /// <summary>
    /// An entry goes under a never-shared topic (and is refused) when that topic comes this close to its
    /// best shareable topic: when in doubt, the sensitive reading wins.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SensitiveMargin { get; set; } = 0.05;

    /// <summary>
    /// Similarity to its topic an entry needs before the policy's automatic approval applies; below it,
    /// the person approves even topics the policy approves automatically (a guessed topic is not trusted).
    /// </summary>
    [Range(0.0, 1.0)]
    public double AutoApproveSimilarity { get; set; } = 0.45;

    /// <summary>An entry already shared is proposed again only when its local evidence has grown by this factor.</summary>
    [Range(1.0, 1000.0)]
    public double ReshareGrowth { get; set; } = 2.0;
}
