using System.ComponentModel.DataAnnotations;
using Commons.Abstractions.Pools;

namespace Commons.Community.Hosting;

/// <summary>The pool's identity and policy (configuration section <c>Pool</c>), the same on every silo of the cluster.</summary>
public sealed class PoolOptions
{
    public const string SectionName = "Pool";

    /// <summary>A name members see.</summary>
    [Required]
    public string Name { get; set; } = "commons-pool";

    /// <summary>The key id of the admin key that signs invites and admin requests (<c>ed25519:...</c>).</summary>
    [Required(ErrorMessage = "Pool:AdminKey is required: the key id printed by `commons pool keygen` (ed25519:...).")]
    [RegularExpression("^ed25519:[A-Za-z0-9_-]{43}$", ErrorMessage = "Pool:AdminKey must be a key id such as ed25519:... (as printed by `commons pool keygen`).")]
    public string AdminKey { get; set; } = "";

    /// <summary>A group is served only once this many distinct members back it.</summary>
    [Range(1, 1000)]
    public int K { get; set; } = 3;

    /// <summary>Most outcome trials one contributor's evidence may count for, in one group.</summary>
    [Range(1, 1_000_000)]
    public int CapPerContributor { get; set; } = 100;

    /// <summary>Share of contributors trimmed from each end before the mean.</summary>
    [Range(0.0, 0.45)]
    public double TrimFraction { get; set; } = 0.2;

    /// <summary><c>trimmed-mean</c> or <c>median</c>.</summary>
    [RegularExpression("^(trimmed-mean|median)$", ErrorMessage = "Pool:Aggregation must be trimmed-mean or median.")]
    public string Aggregation { get; set; } = "trimmed-mean";

    /// <summary>A contributor whose success rate is further than this from the group's median is quarantined.</summary>
    [Range(0.05, 1.0)]
    public double OutlierDistance { get; set; } = 0.35;

    /// <summary>
    /// The share of trials a contributor's insights must help in, by other members' outcome reports.
    /// Once the pool is <see cref="WithdrawConfidence"/> sure a contributor falls below it, that
    /// contributor no longer counts toward a group's k: a clique whose insights keep failing cannot get
    /// a group served on their own, and what they backed is withdrawn from members.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinHelpfulShare { get; set; } = 0.5;

    /// <summary>
    /// How sure the reports must make the pool that a contributor falls below <see cref="MinHelpfulShare"/>
    /// (the posterior probability) before it stops counting toward k. Few reports, or randomised ones,
    /// never make it that sure: an honest member is not taken out of service on a few flipped bits.
    /// </summary>
    [Range(0.5, 1.0)]
    public double WithdrawConfidence { get; set; } = 0.9;

    /// <summary>The terms <see cref="MinHelpfulShare"/> and <see cref="WithdrawConfidence"/> set, as a contributor's grain applies them.</summary>
    public StandingPolicy Standing() => new(MinHelpfulShare, WithdrawConfidence);

    /// <summary>Reads a day that any member gets, contributing or not.</summary>
    [Range(0, 1_000_000)]
    public int FreeReadsPerDay { get; set; } = 20;

    /// <summary>
    /// Credit a member earns for each group it backs once another member backs it too: what nobody
    /// else says (junk, however much of it) earns nothing.
    /// </summary>
    [Range(0, 1_000_000)]
    public int CreditPerContribution { get; set; } = 5;

    /// <summary>Credit a read costs once the free allowance is used.</summary>
    [Range(0, 1_000_000)]
    public int ReadCost { get; set; } = 1;

    /// <summary>Cosine similarity (MiniLM) above which two texts say the same thing.</summary>
    [Range(0.0, 1.0)]
    public double SimilarityThreshold { get; set; } = 0.8;

    /// <summary>Cosine similarity below which a group is not an answer to a query.</summary>
    [Range(-1.0, 1.0)]
    public double MinQuerySimilarity { get; set; } = 0.2;

    /// <summary>Artifacts per durable log segment, for a silo that keeps its topic logs in segment grains (no PostgreSQL).</summary>
    [Range(1, 4096)]
    public int SegmentSize { get; set; } = 32;

    /// <summary>
    /// Where a PostgreSQL silo keeps its topic logs: <c>table</c> (CommonsTopicLog, one group commit for
    /// the publishes of all topics that wait) or <c>segments</c> (segment grains in grain storage, each
    /// append rewriting its segment: the layout before the table, kept as <c>pool bench --baseline</c>'s).
    /// </summary>
    [RegularExpression("^(table|segments)$", ErrorMessage = "Pool:LogStore must be table or segments.")]
    public string LogStore { get; set; } = "table";

    /// <summary>Group commits of the topic logs that may run at once (each one multi-row INSERT).</summary>
    [Range(1, 16)]
    public int LogWriters { get; set; } = 2;

    /// <summary>
    /// Most request signatures a silo remembers to refuse replays (about 61 bytes each; the default holds
    /// 6,600 signed requests a second over the 300 s window, about 120 MB at most). When full, new
    /// requests get 503 until the oldest second leaves the window.
    /// </summary>
    [Range(1000, 100_000_000)]
    public long ReplayCacheEntries { get; set; } = 2_000_000;

    /// <summary>Artifacts a member may publish a second, on average (a token bucket per member key; 429 beyond).</summary>
    [Range(0.1, 1_000_000)]
    public double PublishesPerSecond { get; set; } = 100;

    /// <summary>Publishes a member may make at once before <see cref="PublishesPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int PublishBurst { get; set; } = 200;

    /// <summary>Queries and digest pages a member may read a second, on average (429 beyond).</summary>
    [Range(0.1, 1_000_000)]
    public double ReadsPerSecond { get; set; } = 10;

    /// <summary>Reads a member may make at once before <see cref="ReadsPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int ReadBurst { get; set; } = 40;

    /// <summary>Most topics the pool holds; publishing to a new topic beyond it is refused (409).</summary>
    [Range(1, 10_000_000)]
    public int MaxTopics { get; set; } = 10_000;

    /// <summary>
    /// Distinct new texts a topic may hold before it has embedded them. Grouping embeds each new text
    /// with MiniLM after the receipt; beyond this many waiting, a publish of yet another new text is
    /// refused with 503 and Retry-After until grouping catches up (a text the topic already knows is
    /// always taken). It bounds what a restart has to embed again: a silo stopped while grouping lags
    /// re-embeds at most this many texts per topic.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxUngroupedTexts { get; set; } = 1_000;

    /// <summary>
    /// While a topic regroups the log it read back at activation, how long a read waits for that before
    /// it answers from the groups there are: a topic's first call after a restart takes seconds, however
    /// long the log and however far grouping lagged before the stop. (Otherwise a read waits until what
    /// the topic holds is grouped, which <see cref="MaxUngroupedTexts"/> bounds.)
    /// </summary>
    [Range(0, 600)]
    public double GroupingWaitSeconds { get; set; } = 2;

    /// <summary>How often peers' feeds are pulled.</summary>
    [Range(0.1, 86400)]
    public double FederationIntervalSeconds { get; set; } = 30;
}
