using System.ComponentModel.DataAnnotations;

namespace Commons.Learning;

/// <summary>How the playbook selects, credits, merges and caps; bound from the <c>Playbook</c> section.</summary>
public sealed class PlaybookOptions
{
    public const string SectionName = "Playbook";

    /// <summary>Most active entries kept; past it, the lowest-value entries are retired first.</summary>
    [Range(10, 1_000_000)]
    public int MaxEntries { get; set; } = 2000;

    /// <summary>Most entries put into one prompt.</summary>
    [Range(0, 20)]
    public int MaxSelected { get; set; } = 3;

    /// <summary>Cosine similarity below which an entry does not apply to a situation.</summary>
    [Range(-1.0, 1.0)]
    public double MinSimilarity { get; set; } = 0.5;

    /// <summary>Entries whose situations (and advice) are at least this similar are merged, counters added.</summary>
    [Range(0.0, 1.0)]
    public double DedupeSimilarity { get; set; } = 0.9;

    /// <summary>Monte Carlo draws used to estimate each choice's probability (its propensity).</summary>
    [Range(10, 10_000)]
    public int PropensitySamples { get; set; } = 100;

    /// <summary>Most episodes kept in the log (the oldest go first).</summary>
    [Range(100, 1_000_000)]
    public int MaxEpisodes { get; set; } = 5000;

    /// <summary>Reflect after this many episodes with feedback; 0 only on request.</summary>
    [Range(0, 100_000)]
    public int ReflectEvery { get; set; } = 20;

    /// <summary>Neighbouring entries consulted when choosing an action.</summary>
    [Range(1, 1000)]
    public int ActionNeighbours { get; set; } = 24;

    /// <summary>Cosine similarity below which an entry gives no evidence about an action.</summary>
    [Range(-1.0, 1.0)]
    public double ActionMinSimilarity { get; set; } = 0.45;

    /// <summary>How strongly a neighbour's counters count, relative to one observation at identical situations.</summary>
    [Range(0.0, 100.0)]
    public double EvidenceGain { get; set; } = 10.0;

    /// <summary>Actions without evidence, ranked by similarity to the action's name, that are always candidates.</summary>
    [Range(0, 100)]
    public int NameMatchedActions { get; set; } = 3;

    /// <summary>Softmax temperature turning name similarities into prior probabilities (smaller = sharper).</summary>
    [Range(0.001, 10.0)]
    public double NamePriorTemperature { get; set; } = 0.02;

    /// <summary>Pseudo-observations the name prior is worth.</summary>
    [Range(0.0, 100.0)]
    public double NamePriorStrength { get; set; } = 5;

    /// <summary>Random actions added to the candidates each time, so unseen actions get tried.</summary>
    [Range(0, 100)]
    public int ExplorationActions { get; set; } = 1;

    /// <summary>
    /// Verify imported insights on the owner's history before use (the default). Off, they are adopted
    /// at once as discounted priors (guard-rails still apply): the benchmark's comparison arm.
    /// </summary>
    public bool VerifyImports { get; set; } = true;

    /// <summary>
    /// Cosine similarity (MiniLM) at which an imported insight's situation applies to a logged or live
    /// situation. 0.55 rather than 0.6: people put one request many ways, and the owner's own history
    /// (and a trial) still decides whether an insight that applies is any good. On the benchmark (HWU64,
    /// epsilon 1) 0.6 recovered 80% of the centralized gain and 0.55 85%, with 30% poisoners still above
    /// the isolated agents.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ImportApplySimilarity { get; set; } = 0.55;

    /// <summary>Effective number of applicable logged episodes below which an import cannot be judged on the logs.</summary>
    [Range(1.0, 1000.0)]
    public double ImportMinEffectiveEpisodes { get; set; } = 3;

    /// <summary>How much worse than current behaviour an import's lower bound may be and still count as "not worse".</summary>
    [Range(0.0, 1.0)]
    public double ImportTolerance { get; set; } = 0.05;

    /// <summary>z of the one-sided confidence bounds (1.645 is 95%).</summary>
    [Range(0.0, 10.0)]
    public double ImportConfidenceZ { get; set; } = 1.645;

    /// <summary>Share of matching turns on which an insight that cannot be judged on the logs is tried.</summary>
    [Range(0.0, 1.0)]
    public double ImportTrialShare { get; set; } = 0.1;

    /// <summary>
    /// Share of turns an insight under trial takes where it is closer to the situation than anything the
    /// agent has learned itself: there the agent's own choice would be a guess from farther away.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ImportNoveltyTrialShare { get; set; } = 1.0;

    /// <summary>Most live trials of one insight before the logs (trials included) must decide.</summary>
    [Range(0, 1000)]
    public int ImportMaxTrials { get; set; } = 5;

    /// <summary>
    /// Failed trials after which an insight under trial is rejected without waiting for the logs: a
    /// trial that went wrong on the owner's own turn is the most direct evidence there is, and each
    /// further trial of a bad insight costs the owner a wrong answer.
    /// </summary>
    [Range(1, 1000)]
    public int ImportMaxTrialFailures { get; set; } = 1;

    /// <summary>Most pseudo-counts an adopted insight's pool evidence may add, before the contributor's reputation scales it.</summary>
    [Range(0.0, 1000.0)]
    public double ImportPriorCap { get; set; } = 2;

    /// <summary>
    /// Actions are exclusive: a situation has one right action, so an action rewarded as right there
    /// shows every other action would have been wrong. True for intents and tools; false for advice.
    /// </summary>
    public bool ExclusiveActions { get; set; } = true;

    /// <summary>Seed for the playbook's random choices (mixed with the owner's id); unset, every activation draws its own.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Persist after every this many changes (and always on deactivation). 1, the default, writes every
    /// change at once; the benchmark's single centralized learner raises it.
    /// </summary>
    [Range(1, 100_000)]
    public int SaveEvery { get; set; } = 1;

    /// <summary>Largest advice or situation text an entry may hold (characters).</summary>
    [Range(16, 10_000)]
    public int MaxTextLength { get; set; } = 400;
}
