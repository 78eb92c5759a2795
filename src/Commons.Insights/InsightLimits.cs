namespace Commons.Insights;

/// <summary>Size limits of Insight Artifact v1 (the schema file states the same numbers).</summary>
public static class InsightLimits
{
    /// <summary>The schema identifier of this version.</summary>
    public const string Schema = "commons.insight/v1";

    /// <summary>Largest serialized artifact accepted, in UTF-8 bytes.</summary>
    public const int MaxArtifactBytes = 8192;

    /// <summary>Longest topic, in UTF-16 code units.</summary>
    public const int MaxTopicLength = 64;

    /// <summary>Whether a topic is one an artifact may carry: dot-separated lowercase names, at most <see cref="MaxTopicLength"/> long.</summary>
    public static bool IsValidTopic(string? topic) => InsightValidation.IsTopic(topic);

    /// <summary>Longest situation text.</summary>
    public const int MaxSituationLength = 1000;

    /// <summary>Longest advice text.</summary>
    public const int MaxAdviceLength = 2000;

    /// <summary>Longest action text.</summary>
    public const int MaxActionLength = 200;

    /// <summary>Longest policy id.</summary>
    public const int MaxPolicyIdLength = 64;

    /// <summary>Largest count in the evidence.</summary>
    public const long MaxCount = 1_000_000_000;

    /// <summary>
    /// Smallest epsilon one artifact may state: the smallest a member's sharing policy allows
    /// (<c>epsilon_per_artifact</c> from 0.001). Below it the noise scale 1/epsilon is astronomically
    /// large (a subnormal such as 5e-324 makes it infinite) and the counts say nothing.
    /// </summary>
    public const double MinEpsilon = 0.001;

    /// <summary>Largest epsilon one artifact may spend.</summary>
    public const double MaxEpsilon = 10;

    /// <summary>Longest lifetime from created to expires.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);
}
